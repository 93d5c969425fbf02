/**
 * `.iii-publishignore`: gitignore-style rules deciding what a bundle archive leaves out. `#` comments,
 * `!` re-includes, a trailing `/` matches directories only, a `/` elsewhere anchors the pattern at the
 * worker folder, `*` `?` and `**` glob. The last matching rule wins. An include list is written as `*`
 * followed by `!` lines.
 */
export interface IgnoreRule {
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
  source: string;
}

function globToRegex(glob: string, anchored: boolean): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` matches everything below.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(anchored ? `^${out}$` : `^(?:.*/)?${out}$`);
}

export function parseIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    rules.push({ negate, dirOnly, regex: globToRegex(line, anchored), source: rawLine.trim() });
  }
  return rules;
}

/** Never packed, whatever the ignore file says: version control and secrets. */
const ALWAYS_OUT = parseIgnore(
  ['.git/', '.hg/', '.svn/', '.env', '.env.*', '*.pem', '*.key', 'id_rsa*', 'id_ed25519*', '.npmrc', '.pypirc', '.netrc'].join('\n'),
);

/** Left out unless the ignore file re-includes them (e.g. `!node_modules/`). */
export const DEFAULT_RULES = parseIgnore(['node_modules/', '.DS_Store', '*.log', '.iii-publish/'].join('\n'));

/** Whether `rel` (a /-separated path inside the worker folder) is left out of the archive. */
export function isIgnored(rel: string, isDir: boolean, rules: IgnoreRule[]): boolean {
  if (ALWAYS_OUT.some((r) => (!r.dirOnly || isDir) && r.regex.test(rel))) return true;
  let ignored = false;
  for (const r of rules) if ((!r.dirOnly || isDir) && r.regex.test(rel)) ignored = !r.negate;
  return ignored;
}
