/**
 * Placement constraints compared by meaning. Swarmkit reads `key op value` with `==` or `!=`, matches the
 * `node.*`/`engine.*` keys case-insensitively (label names keep their case) and compares values without
 * regard to case. So `node.role==manager`, `node.role == "Manager"` and `node.role != worker` (the role has
 * only two values) are one constraint here.
 */

export interface Constraint {
  /** The key as swarmkit resolves it: `node.role`, `node.labels.disk`, `engine.labels.zone`, ... */
  field: string;
  operator: '==' | '!=';
  /** Lower-cased and unquoted: values match case-insensitively. */
  value: string;
}

/** Fields that hold exactly one of two values, where `!= a` means `== b`. */
const TWO_VALUED: Record<string, [string, string]> = { 'node.role': ['manager', 'worker'] };

/** Keys whose tail is a label name, which stays case-sensitive; every other key is matched in lower case. */
const LABEL_PREFIXES = ['node.labels.', 'engine.labels.'];

function normalizeField(key: string): string {
  const lower = key.toLowerCase();
  const prefix = LABEL_PREFIXES.find((p) => lower.startsWith(p));
  return prefix ? `${prefix}${key.slice(prefix.length)}` : lower;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}

/** Parses one constraint; undefined when it is not `key ==|!= value`. */
export function parseConstraint(text: string): Constraint | undefined {
  const match = /^\s*([^=!\s]+)\s*(==|!=)\s*(.+?)\s*$/.exec(unquote(text));
  if (!match) return undefined;
  const field = normalizeField(match[1]);
  let operator = match[2] as Constraint['operator'];
  let value = unquote(match[3]).toLowerCase();
  const pair = TWO_VALUED[field];
  if (pair && operator === '!=' && pair.includes(value)) {
    operator = '==';
    value = pair.find((v) => v !== value)!;
  }
  return { field, operator, value };
}

/** One canonical spelling, used as the key when comparing sets: `node.role==manager`. */
export function constraintKey(text: string): string {
  const parsed = parseConstraint(text);
  return parsed ? `${parsed.field}${parsed.operator}${parsed.value}` : text.replace(/\s+/g, '');
}
