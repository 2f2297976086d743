/**
 * Reads a fence's info string: ```` ```sh node=node1 ````, ```` ```yaml node=node1 file=stack.yml ````,
 * ```` ```sh node=node1 solution ````, ```` ```sh run=false ````, ```` ```check ````.
 */
export interface FenceInfo {
  lang: string;
  node?: string;
  run: boolean;
  file?: string;
  solution: boolean;
  allowFail: boolean;
  /** Attributes we do not know; the linter reports them. */
  unknown: string[];
}

export function parseFenceInfo(info: string): FenceInfo {
  const words = info.trim().split(/\s+/).filter(Boolean);
  const result: FenceInfo = { lang: '', run: true, solution: false, allowFail: false, unknown: [] };
  if (words.length > 0 && !words[0].includes('=')) result.lang = words.shift() ?? '';
  for (const word of words) {
    const [key, value] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    if (key === 'node' && value) result.node = value;
    else if (key === 'file' && value) result.file = value;
    else if (key === 'run' && (value === 'false' || value === 'true')) result.run = value === 'true';
    else if (key === 'solution' && value === undefined) result.solution = true;
    else if (key === 'allow_fail' && value === undefined) result.allowFail = true;
    else result.unknown.push(word);
  }
  return result;
}
