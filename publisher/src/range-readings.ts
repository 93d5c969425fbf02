import semver from 'semver';
import { cargoComparators } from '@iii-registry/schemas';

/**
 * How npm (node-semver) and Cargo (Rust `semver::VersionReq`, which the iii CLI validates manifest
 * dependencies with) read one dependency range. The registry reads ranges the Cargo way (a bare `1.2.3` is
 * `^1.2.3`); npm reads a bare version as exactly that version, and refuses commas. iii-publish warns where the
 * two differ, so an author who thinks in npm terms is not surprised by what gets installed.
 */
export interface RangeReadings {
  /** node-semver's reading (commas read as npm's whitespace AND), or null when npm cannot parse it. */
  npm: string | null;
  /** Cargo's reading written in node-semver syntax, or null when Cargo refuses the range. */
  cargo: string | null;
}

/** The range's comparators with every bare version given the operator `bare` (Cargo's reading is `^`); null if Cargo refuses it. */
export function withExplicitOperators(range: string, bare: '^' | '=', separator: string): string | null {
  const comparators = cargoComparators(range);
  if (comparators === null) return null;
  return comparators.map(({ op, version }) => (op || /(^|\.)[*xX]/.test(version) ? `${op}${version}` : `${bare}${version}`)).join(separator);
}

/** Cargo's reading in node-semver syntax: comparators joined by spaces, a bare version read as `^version`. */
export const cargoAsNpm = (range: string): string | null =>
  // Cargo's ^0.0.K is exactly 0.0.K; node-semver's <0.0.(K+1)-0 upper bound would differ only in prereleases.
  withExplicitOperators(range, '^', ' ')?.replace(/\^(0\.0\.\d+)(?=\s|$)/g, '=$1') ?? null;

const normalized = (r: string | null): string | null => (r === null ? null : semver.validRange(r));

export function rangeReadings(range: string): RangeReadings {
  return { npm: normalized(range.replace(/,/g, ' ')), cargo: normalized(cargoAsNpm(range.trim())) };
}

/** Human form of a normalized node-semver range: `<2.0.0-0` is shown as `<2.0.0`, `*` as any version. */
const show = (r: string): string => (r === '*' || r === '' ? 'any version' : r.replace(/-0\b/g, ''));

const same = (a: string, b: string): boolean => {
  try {
    return semver.subset(a, b) && semver.subset(b, a);
  } catch {
    return a === b;
  }
};

/** One warning per dependency whose range npm and Cargo read differently, naming both readings. */
export function rangeWarnings(dependencies: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, raw] of Object.entries(dependencies)) {
    const range = raw.trim();
    if (range === '') {
      out.push(`dependencies.${name}: an empty range means any version here, but the iii CLI refuses it; write "*"`);
      continue;
    }
    const { npm, cargo } = rangeReadings(range);
    if (cargo === null) {
      const commas = range.replace(/\s+(?=[<>=~^]|\d)/g, ', ');
      const hint =
        range.includes('||') || / - /.test(range)
          ? 'Cargo has no `||` or hyphen ranges: use one comma-separated range'
          : /(^|[\s,=<>~^])v\d/.test(range)
            ? 'drop the leading `v`'
            : commas !== range && cargoAsNpm(commas) !== null
              ? `write it with commas, e.g. "${commas}"`
              : 'write a Cargo range such as ^1.2.3 or >=1.2, <2';
      out.push(`dependencies.${name}: "${range}": npm reads ${npm === null ? 'nothing valid' : show(npm)}, but the iii CLI (Cargo semver) refuses it; ${hint}`);
    } else if (npm === null) {
      out.push(`dependencies.${name}: "${range}": Cargo and this registry read ${show(cargo)}; npm cannot parse it`);
    } else if (!same(npm, cargo)) {
      const caret = withExplicitOperators(range, '^', ', ');
      const exact = withExplicitOperators(range, '=', ', ');
      out.push(
        `dependencies.${name}: "${range}" means ${show(cargo)} for Cargo and this registry (a bare version is ^version), but npm reads ${show(npm)}; write "${caret}" or "${exact}" to say which`,
      );
    }
  }
  return out;
}
