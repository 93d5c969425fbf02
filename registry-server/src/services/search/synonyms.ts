/**
 * The search's domain synonym table. Each group is one concept: a query naming any member finds documents naming
 * any other (a document emits the group's token `~<id>` beside its own words, a query word adds that token as an
 * alternative worth SYNONYM_WEIGHT of an exact word). Members are plain words or phrases; they are stemmed like
 * everything else, so `schedules` and `scheduling` are `schedule`. Keep it small and about this domain: every
 * group changes ranking for every query that names it, and the relevance bench (bench/relevance/) is the check.
 */
export const SYNONYM_GROUPS: Record<string, string[]> = {
  kv: ['kv', 'key value', 'key-value', 'keyvalue'],
  email: ['email', 'e-mail', 'mail', 'smtp'],
  schedule: ['schedule', 'cron', 'crontab', 'periodic', 'recurring', 'hourly', 'daily', 'nightly', 'timetable'],
  pubsub: ['pubsub', 'pub sub', 'pub/sub', 'publish subscribe', 'publish/subscribe'],
  sql: ['sql', 'database', 'db', 'relational'],
  otel: ['otel', 'opentelemetry', 'open telemetry'],
  auth: ['auth', 'authentication', 'login', 'sign in', 'signin', 'oauth'],
  authz: ['authorization', 'permission', 'rbac', 'access control'],
  llm: ['llm', 'language model', 'gpt', 'openai', 'anthropic', 'chat completion'],
  pdf: ['pdf', 'portable document'],
  queue: ['queue', 'job queue', 'background job', 'task queue'],
  blob: ['blob', 'object storage', 's3', 'bucket', 'file storage'],
  sms: ['sms', 'text message'],
  webhook: ['webhook', 'callback url'],
  image: ['image', 'picture', 'photo', 'jpeg', 'png'],
  thumbnail: ['thumbnail', 'thumb', 'preview image'],
  vector: ['vector', 'embedding', 'semantic search'],
  translate: ['translate', 'translation', 'localize'],
  log: ['log', 'logging'],
  metric: ['metric', 'metrics', 'prometheus'],
  trace: ['trace', 'tracing', 'span'],
  payment: ['payment', 'charge', 'stripe', 'checkout'],
  cache: ['cache', 'memoize'],
  http: ['http', 'endpoint', 'route'],
};

/** How much a synonym counts against the word itself. */
export const SYNONYM_WEIGHT = 0.85;
