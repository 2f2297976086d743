/**
 * Reads the output of the slow build tools into progress: debootstrap names every package as it retrieves,
 * validates, unpacks and configures it; `docker build` numbers its steps.
 */
export class DebootstrapOutput {
  private packages = new Set<string>();
  private extracted = 0;
  private unpacked = 0;
  private configured = 0;
  stage: 'resolving' | 'retrieving' | 'installing' = 'resolving';

  /** Takes one line of output; returns the progress so far (`total` once every package is known). */
  read(line: string): { done: number; total?: number; detail: string } {
    const [, verb, name] = /^I: (Retrieving|Validating|Unpacking|Configuring|Extracting) (\S+)/.exec(line) ?? [];
    if (verb === 'Retrieving' || verb === 'Validating') {
      if (name !== 'Release' && name !== 'Packages' && !name.startsWith('Release')) {
        this.stage = 'retrieving';
        this.packages.add(name);
      }
    } else if (verb === 'Extracting') {
      this.stage = 'installing';
      this.extracted++;
    } else if (verb === 'Unpacking') {
      this.stage = 'installing';
      this.unpacked++;
    } else if (verb === 'Configuring') {
      this.stage = 'installing';
      this.configured++;
    }
    if (this.stage !== 'installing') return { done: 0, detail: this.stage === 'retrieving' ? `retrieving ${this.packages.size} packages` : 'resolving packages' };
    // The required packages are extracted first; then every package is unpacked and configured.
    const done = this.extracted + this.unpacked + this.configured;
    return { done, total: Math.max(done, this.extracted + this.packages.size * 2), detail: `${name ?? ''}`.slice(0, 24) };
  }
}

/** `Step 3/7 : RUN …` → { done: 2, total: 7 } (the step shown is under way). */
export function dockerBuildStep(line: string): { done: number; total: number; detail: string } | undefined {
  const match = /^Step (\d+)\/(\d+) : (.*)$/.exec(line.trim());
  if (!match) return undefined;
  return { done: Number(match[1]) - 1, total: Number(match[2]), detail: match[3].slice(0, 24) };
}
