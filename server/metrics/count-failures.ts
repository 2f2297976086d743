/**
 * Wraps an object so that every method call that throws or rejects is reported (by method name) before the
 * error goes on unchanged. Used once, around the node backend: the one place every engine call of a session
 * passes through, so engine failures are counted without touching the engine or the backends.
 */
export function countFailures<T extends object>(target: T, onFailure: (operation: string, error: unknown) => void): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          // Called on the real object, so its private fields and bound state work as before.
          result = (value as (...a: unknown[]) => unknown).apply(object, args);
        } catch (error) {
          onFailure(property, error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            onFailure(property, error);
            throw error;
          });
        }
        return result;
      };
    },
  });
}
