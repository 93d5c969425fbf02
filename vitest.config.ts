import { defineConfig } from 'vitest/config';

/**
 * Lines the unmodified iii-sdk 0.22.1 prints with console.debug on every connection, with no option to turn them off
 * (`[iii] Worker registered with ID: ...` in iii-sdk, `[OTel] OpenTelemetry is disabled...` in @iii-dev/helpers).
 * They say nothing about a test, so the test output drops exactly these; anything else a test logs still shows.
 */
const SDK_BANNERS = [/^\[iii\] Worker registered with ID: /, /^\[OTel\] OpenTelemetry is disabled\./];

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    onConsoleLog: (log) => (SDK_BANNERS.some((re) => re.test(log)) ? false : undefined),
  },
});
