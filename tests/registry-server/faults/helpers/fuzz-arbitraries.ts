import fc from 'fast-check';

/**
 * Arbitraries for throwing junk at the registry: path segments (encoded, raw percent junk, huge, traversal),
 * query strings with repeated keys, JSON bodies from random to near-valid, deep nesting and raw non-JSON bodies.
 */

const RAW_ALPHABET = 'abcz019AZ-_.~+:@!$&\'()*,;=';
/** `.`/`..` (also as %2e) are dot segments: every HTTP client, inject included, resolves them before sending. */
const notDotSegment = (s: string) => !/^(\.|%2e){1,2}$/i.test(s);
const rawJunk = fc.string({ unit: fc.constantFrom(...RAW_ALPHABET.split('')), maxLength: 24 });
const specialSegments = fc.constantFrom(
  // Raw '.' and '..' are left out: the client resolves them (as any HTTP client does) before the server sees them.
  '%00', '%2F', '...', '%2e%2e%2e', '%25', '+', '%2B', '%20', '%0A', '%3Cscript%3E',
  'latest', 'next', '*', '', 'null', 'undefined', '__proto__', 'constructor', 'hasOwnProperty', '0', '-1', '1e309', 'NaN',
  '1.2.3%2Bbuild.5', '99.0.0', '1.0.0-rc.1', 'x.md', 'badge.svg', 'feed.xml',
);
/** Percent-encoding no decoder accepts, and segments longer than the router's parameter limit (100). */
const brokenSegments = fc.oneof(
  fc.constantFrom('%', '%z', '%zz', '%C0%AF', '%E0%A4%A', '%FF', '%uD800', '%%', 'a%', '%2'),
  fc.string({ unit: fc.constantFrom(...(RAW_ALPHABET + '%').split('')), minLength: 1, maxLength: 24 }).filter((s) => {
    try {
      decodeURIComponent(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.integer({ min: 101, max: 5000 }).map((n) => 'a'.repeat(n)),
);

export const unicodeString = (maxLength = 40) => fc.string({ unit: 'grapheme', maxLength });
export const hugeString = fc.integer({ min: 1_000, max: 70_000 }).chain((n) => fc.constantFrom('a', 'é', '𝕏', '%', '<', '\u0000').map((c) => c.repeat(n)));

/**
 * One path segment, already in URL form. `broken` adds undecodable percent-encoding and over-long segments,
 * which the router refuses before any route runs (kept apart so one such defect does not hide the others).
 */
export function pathSegment(known: string[], broken = false) {
  const arbs = [
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 3, arbitrary: unicodeString().map(encodeURIComponent).filter((s) => s.length <= 100) },
    { weight: 3, arbitrary: rawJunk },
    { weight: 3, arbitrary: specialSegments },
    { weight: 1, arbitrary: fc.integer({ min: 65, max: 100 }).map((n) => 'a'.repeat(n)) },
    { weight: 1, arbitrary: fc.array(fc.oneof(rawJunk, specialSegments), { minLength: 2, maxLength: 4 }).map((p) => p.filter(notDotSegment).join('/')) },
  ];
  return (broken ? fc.oneof(...arbs, { weight: 6, arbitrary: brokenSegments }) : fc.oneof(...arbs)).filter(notDotSegment);
}

const QUERY_KEYS = ['version', 'search', 'cursor', 'limit', 'updated_since', 'type', 'tag', 'ci', 'tokens', 'sections', 'tab', 'v', 'target'];

export function queryValue(known: string[]) {
  return fc.oneof(
    pathSegment(known),
    brokenSegments,
    fc.constantFrom('true', 'false', '1', '0', '-5', '1e9', '200', '1000001', 'binary', 'image', 'bundle', 'engine', 'api', 'skills',
      'versions', 'agent-context', 'install,api,readme', 'api,,nope', '2026-01-01T00:00:00Z', '9999-99-99', 'eyJ4IjoxfQ', 'AAAA'),
    fc.integer({ min: 100, max: 2000 }).map((n) => encodeURIComponent('é'.repeat(n))),
  );
}

/** `?k=v&k=v...` with known keys (often repeated), random keys, bare keys and empty values. */
export function queryString(known: string[]) {
  const pair = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue(known)).map(([k, v]) => `${k}=${v}`) },
    { weight: 1, arbitrary: fc.tuple(rawJunk, queryValue(known)).map(([k, v]) => `${k}=${v}`) },
    { weight: 1, arbitrary: fc.constantFrom(...QUERY_KEYS, 'version[]=1', 'version[a]=b', '__proto__[x]=1', 'constructor=1', '=', '&&', '%') },
  );
  return fc.array(pair, { maxLength: 6 }).map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));
}

/** JSON nested `depth` levels deep as a raw string (JSON.stringify of such a value would itself overflow). */
export const deepJson = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('array', 'object'))
  .map(([depth, kind]) => (kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

const semverish = fc.oneof(
  fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.constantFrom('rc.1', 'beta', 'alpha.2', '0')).map(([a, b, c, p]) => `${a}.${b}.${c}-${p}`),
  fc.constantFrom('1.2', 'v1.0.0', '01.0.0', '1.0.0+build.5', '', 'latest', '^1.0.0', '99999999999999999999.0.0'),
  unicodeString(12),
);
const rangeish = fc.oneof(semverish, fc.constantFrom('', '*', '^0.1.0', '~0.5', '>=2 <3', '||', '>=', 'x.x.x', 'latest'));
const slugish = (known: string[]) => fc.oneof(fc.constantFrom(...known, 'fuzz-a', 'fuzz-b', 'fuzz_c'), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/), unicodeString(10));
const schemaish = fc.oneof(fc.constant(undefined), fc.constant(null), fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom('type', 'properties', 'items', 'required', '$ref', 'enum', 'anyOf', 'description'), fc.jsonValue({ maxDepth: 3 })));
const sha = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constantFrom('abc', 'A'.repeat(64), ''));
const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 5 }), fc.array(fc.nat(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));

/** A publish payload that is often valid and often wrong in one or two fields (types, ranges, unicode, huge). */
export function nearValidPublish(known: string[]) {
  const fn = fc.record(
    { name: fc.oneof(fc.constantFrom('f', 'g', 'a::b'), unicodeString(8)), description: fc.oneof(unicodeString(), wrong), request_schema: schemaish, response_schema: schemaish, metadata: fc.oneof(fc.object({ maxDepth: 2 }), wrong) },
    { requiredKeys: ['name'] },
  );
  const trigger = fc.record({ name: fc.oneof(fc.constantFrom('t', 'u'), unicodeString(8)), invocation_schema: schemaish, return_schema: schemaish }, { requiredKeys: ['name'] });
  const binaries = fc.dictionary(fc.constantFrom('x86_64-unknown-linux-gnu', 'aarch64-apple-darwin', 'weird', ''), fc.oneof(fc.record({ url: fc.oneof(fc.webUrl(), unicodeString()), sha256: sha }), wrong));
  return fc.record(
    {
      worker_name: slugish(known),
      version: semverish,
      tag: fc.oneof(fc.constantFrom('latest', 'next', 'rc', 'Latest', '1.0.0', ''), wrong),
      type: fc.oneof(fc.constantFrom('binary', 'image', 'bundle', 'engine'), fc.constantFrom('wasm', '', 'BINARY'), wrong),
      readme: fc.oneof(unicodeString(200), hugeString, wrong),
      repo: fc.oneof(fc.webUrl(), unicodeString(), wrong),
      description: fc.oneof(unicodeString(), hugeString, wrong),
      license: fc.oneof(fc.constantFrom('MIT', 'Apache-2.0'), wrong),
      tags: fc.oneof(fc.array(unicodeString(10), { maxLength: 40 }), wrong),
      experimental: fc.oneof(fc.boolean(), wrong),
      dependencies: fc.oneof(
        fc.array(fc.record({ name: slugish(known), version: rangeish }), { maxLength: 4 }),
        fc.dictionary(slugish(known), rangeish, { maxKeys: 4 }),
        wrong,
      ),
      config: fc.oneof(fc.object({ maxDepth: 3 }), wrong),
      functions: fc.oneof(fc.array(fn, { maxLength: 5 }), wrong),
      triggers: fc.oneof(fc.array(trigger, { maxLength: 3 }), wrong),
      binaries: fc.oneof(binaries, wrong),
      image_tag: fc.oneof(fc.constantFrom('ghcr.io/iii/x:1.0.0', 'UPPER/x', 'a'.repeat(600)), wrong),
      archive_url: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'not a url', 'file:///etc/passwd'), wrong),
      sha256: sha,
      extra: wrong,
    },
    { requiredKeys: ['worker_name', 'version', 'type'] },
  );
}

/** Any JSON body: random values, near-valid payloads of each endpoint, and raw strings that are not JSON at all. */
export function jsonBody(known: string[], nearValid: fc.Arbitrary<unknown>) {
  return fc.oneof(
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 4, arbitrary: nearValid.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '[]', '"x"', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"a":1}{"b":2}', 'NaN', '1e999') },
    { weight: 1, arbitrary: unicodeString(50) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...known), hugeString).map(([name, s]) => JSON.stringify({ worker_name: name, version: '1.0.0', type: 'engine', readme: s })) },
  );
}

export const contentType = fc.constantFrom(
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/gzip', 'application/json; charset=latin1', '',
);

export const resolveBody = (known: string[]) =>
  fc.record(
    { worker: slugish(known), version: fc.oneof(rangeish, fc.constantFrom('latest', 'next', '*'), wrong), target: fc.oneof(fc.constantFrom('aarch64-apple-darwin', 'x86_64-unknown-linux-gnu', 'nope'), wrong), extra: wrong },
    { requiredKeys: ['worker'] },
  );

export const tagBody = fc.record({ version: fc.oneof(semverish, wrong), expected_current_version: fc.oneof(semverish, fc.constant(null), wrong), extra: wrong }, { requiredKeys: [] });

export const skillsBody = fc.record(
  {
    version: fc.oneof(semverish, fc.constant('latest'), wrong),
    skills: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('SKILL.md', 'skills/a.md', '../x.md', '/abs.md', 'a//b.md', 'x.txt'), unicodeString(10)), fc.oneof(unicodeString(50), fc.constant(''), wrong), { maxKeys: 4 }), wrong),
  },
  { requiredKeys: [] },
);

export const statusBody = fc.record({ status: fc.oneof(fc.constantFrom('yanked', 'deprecated', 'active', 'deleted'), wrong), message: fc.oneof(unicodeString(), hugeString, wrong) }, { requiredKeys: [] });

export const keyBody = fc.record({ name: fc.oneof(unicodeString(20), fc.constantFrom('ci', 'x'.repeat(65), '')), admin: fc.oneof(fc.boolean(), wrong) }, { requiredKeys: [] });

export const archiveBytes = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.uint8Array({ maxLength: 512 }).map((b) => new Uint8Array([0x1f, 0x8b, ...b])),
  fc.constant(new Uint8Array(0)),
);
