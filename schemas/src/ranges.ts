import semver from 'semver';

/**
 * Version ranges as the iii toolchain writes them. The engine CLI validates manifest dependencies with Rust's
 * `semver::VersionReq` (Cargo syntax: comparators separated by commas, `>=0.21, <0.23`) and sends them unchanged;
 * node-semver reads that syntax differently or not at all. Decided for the whole project (README, "Ranges"):
 *
 * - a range is read with Cargo rules when it parses as one, so a bare `1.2.3` inside a range means `^1.2.3`;
 * - anything else that node-semver accepts (`>=2 <3`, `1.2.3 - 2.0.0`, `^1 || ^2`) is read as node-semver, but only
 *   in requests (`/resolve`, `/download`): published dependency ranges must be Cargo ranges, because the CLI
 *   re-reads them with `VersionReq` (`iii worker verify --strict`);
 * - prereleases match as npm (and Cargo) match them by default: only when a comparator names a prerelease of the
 *   same major.minor.patch (`^1.2.0-rc.0` matches `1.2.0-rc.4`, never `1.3.0-rc.1`).
 */

const PART = '(?:0|[1-9]\\d*|[*xX])';
const PRE = '(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)';
const CARGO_COMPARATOR = new RegExp(`^(=|>=|<=|>|<|~|\\^)?\\s*(${PART}(?:\\.${PART}(?:\\.${PART}${PRE}?)?)?)$`);

/** The comparators of a Cargo `VersionReq`, or null when it is not one (empty is not one: Cargo refuses it). */
export function cargoComparators(range: string): { op: string; version: string }[] | null {
  const parts = range.trim().split(',').map((p) => p.trim());
  if (parts.some((p) => p === '') || parts.length > 32) return null;
  const out: { op: string; version: string }[] = [];
  for (const part of parts) {
    const m = CARGO_COMPARATOR.exec(part);
    if (!m) return null;
    const version = m[2];
    // Cargo allows a wildcard only without an operator (or with `=`), and a prerelease only on a full version.
    if (/[*xX]/.test(version) && m[1] !== undefined && m[1] !== '=') return null;
    out.push({ op: m[1] ?? '', version });
  }
  return out;
}

/** A Cargo range as the equivalent node-semver range (bare versions become caret ranges), or null. */
export function cargoToNpmRange(range: string): string | null {
  const comparators = cargoComparators(range);
  if (comparators === null) return null;
  const npm = comparators
    .map(({ op, version }) => (op === '' && !/[*xX]/.test(version) ? `^${version}` : `${op}${version}`))
    .join(' ');
  return semver.validRange(npm) === null ? null : npm;
}

export const isCargoRange = (range: string): boolean => cargoToNpmRange(range) !== null;

/** Any range a client may send, as node-semver reads it: Cargo first, then node-semver; '' means any. */
export function toNpmRange(range: string): string | null {
  const t = range.trim();
  if (t === '') return '*';
  return cargoToNpmRange(t) ?? (semver.validRange(t) === null ? null : t);
}

/** Whether a version satisfies a range read by the rules above (npm's default prerelease rule). */
export function satisfiesRange(version: string, range: string): boolean {
  const npm = toNpmRange(range);
  return npm !== null && semver.satisfies(version, npm);
}

/** The Cargo spelling of a node-semver range where one exists (`>=2 <3` becomes `>=2, <3`), for fixes. */
export function cargoSpellingOf(range: string): string | null {
  const t = range.trim();
  if (t === '') return '*';
  if (t.includes('||') || / - /.test(t)) return null;
  const candidate = t.split(/(?<=[0-9xX*])\s+(?=[<>=~^0-9])/).join(', ');
  return isCargoRange(candidate) ? candidate : null;
}
