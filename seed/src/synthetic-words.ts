/**
 * Word lists of the synthetic catalog. Each domain pairs a subject noun with verbs that people type in
 * searches ("resize image", "send email"), so benchmarks can ask natural two-word questions and expect hits.
 */
export interface Domain {
  noun: string;
  plural: string;
  verbs: string[];
  /** Request fields typical of the domain: name, JSON Schema type, description. */
  fields: [string, 'string' | 'integer' | 'boolean' | 'number', string][];
  tags: string[];
  purposes: string[];
}

export const DOMAINS: Domain[] = [
  { noun: 'image', plural: 'images', verbs: ['resize', 'crop', 'convert', 'compress', 'watermark', 'rotate'],
    fields: [['width', 'integer', 'Target width in pixels'], ['height', 'integer', 'Target height in pixels'], ['format', 'string', 'Output format such as webp']],
    tags: ['image', 'media', 'thumbnail', 'photo'], purposes: ['for product galleries', 'for user avatars', 'before upload to a CDN'] },
  { noun: 'email', plural: 'emails', verbs: ['send', 'validate', 'parse', 'track', 'schedule'],
    fields: [['to', 'string', 'Recipient address'], ['subject', 'string', 'Subject line'], ['html', 'string', 'HTML body']],
    tags: ['email', 'mail', 'smtp', 'notifications'], purposes: ['for sign-up flows', 'for receipts and invoices', 'for newsletters'] },
  { noun: 'pdf', plural: 'pdfs', verbs: ['extract', 'merge', 'split', 'sign', 'render'],
    fields: [['pages', 'string', 'Page range such as 1-3'], ['password', 'string', 'Password of encrypted files'], ['dpi', 'integer', 'Render resolution']],
    tags: ['pdf', 'document', 'ocr'], purposes: ['for contracts', 'for scanned paperwork', 'for reports'] },
  { noun: 'payment', plural: 'payments', verbs: ['charge', 'refund', 'capture', 'reconcile'],
    fields: [['amount', 'integer', 'Amount in minor units'], ['currency', 'string', 'ISO 4217 currency code'], ['customer_id', 'string', 'Customer reference']],
    tags: ['payments', 'billing', 'stripe', 'checkout'], purposes: ['for online shops', 'for subscriptions', 'for marketplaces'] },
  { noun: 'sms', plural: 'sms messages', verbs: ['send', 'verify', 'schedule', 'receive'],
    fields: [['phone', 'string', 'E.164 phone number'], ['body', 'string', 'Message text'], ['sender_id', 'string', 'Alphanumeric sender']],
    tags: ['sms', 'phone', 'otp', 'twilio'], purposes: ['for one-time passwords', 'for delivery alerts', 'for reminders'] },
  { noun: 'video', plural: 'videos', verbs: ['transcode', 'trim', 'thumbnail', 'stream', 'caption'],
    fields: [['codec', 'string', 'Target codec such as h264'], ['bitrate', 'integer', 'Bitrate in kbit/s'], ['start_seconds', 'number', 'Start offset']],
    tags: ['video', 'media', 'ffmpeg', 'streaming'], purposes: ['for course platforms', 'for social feeds', 'for surveillance archives'] },
  { noun: 'audio', plural: 'audio files', verbs: ['transcribe', 'normalize', 'convert', 'detect'],
    fields: [['language', 'string', 'Spoken language code'], ['sample_rate', 'integer', 'Sample rate in Hz'], ['channels', 'integer', 'Channel count']],
    tags: ['audio', 'speech', 'whisper', 'podcast'], purposes: ['for podcasts', 'for call centres', 'for voice notes'] },
  { noun: 'queue', plural: 'queues', verbs: ['publish', 'consume', 'retry', 'delay'],
    fields: [['topic', 'string', 'Queue or topic name'], ['payload', 'string', 'Message body'], ['delay_seconds', 'integer', 'Delay before delivery']],
    tags: ['queue', 'messaging', 'jobs', 'kafka'], purposes: ['for background jobs', 'for event-driven services', 'for rate-limited APIs'] },
  { noun: 'cache', plural: 'caches', verbs: ['get', 'set', 'invalidate', 'warm'],
    fields: [['key', 'string', 'Cache key'], ['ttl_seconds', 'integer', 'Time to live'], ['namespace', 'string', 'Key namespace']],
    tags: ['cache', 'redis', 'performance'], purposes: ['for slow APIs', 'for rendered pages', 'for session data'] },
  { noun: 'log', plural: 'logs', verbs: ['ship', 'parse', 'search', 'rotate', 'redact'],
    fields: [['level', 'string', 'Minimum level'], ['query', 'string', 'Search expression'], ['since', 'string', 'ISO date-time lower bound']],
    tags: ['logging', 'observability', 'logs'], purposes: ['for incident response', 'for audits', 'for debugging production'] },
  { noun: 'metric', plural: 'metrics', verbs: ['collect', 'aggregate', 'export', 'alert'],
    fields: [['name', 'string', 'Metric name'], ['window_seconds', 'integer', 'Aggregation window'], ['threshold', 'number', 'Alert threshold']],
    tags: ['metrics', 'monitoring', 'prometheus'], purposes: ['for dashboards', 'for on-call alerts', 'for capacity planning'] },
  { noun: 'user', plural: 'users', verbs: ['authenticate', 'invite', 'verify', 'export', 'deactivate'],
    fields: [['user_id', 'string', 'User identifier'], ['email', 'string', 'User email'], ['role', 'string', 'Role name']],
    tags: ['auth', 'users', 'identity', 'login'], purposes: ['for SaaS dashboards', 'for admin panels', 'for mobile apps'] },
  { noun: 'invoice', plural: 'invoices', verbs: ['generate', 'send', 'reconcile', 'void'],
    fields: [['invoice_id', 'string', 'Invoice number'], ['due_date', 'string', 'Due date'], ['total', 'integer', 'Total in minor units']],
    tags: ['invoice', 'billing', 'accounting'], purposes: ['for freelancers', 'for B2B billing', 'for tax reporting'] },
  { noun: 'text', plural: 'texts', verbs: ['translate', 'summarize', 'classify', 'tokenize', 'moderate'],
    fields: [['text', 'string', 'Input text'], ['language', 'string', 'Target language code'], ['max_length', 'integer', 'Length budget']],
    tags: ['nlp', 'text', 'language', 'ai'], purposes: ['for support tickets', 'for user reviews', 'for multilingual sites'] },
  { noun: 'csv', plural: 'csv files', verbs: ['parse', 'validate', 'convert', 'import'],
    fields: [['delimiter', 'string', 'Column separator'], ['header', 'boolean', 'First row is a header'], ['encoding', 'string', 'Text encoding']],
    tags: ['csv', 'data', 'etl', 'spreadsheet'], purposes: ['for bulk imports', 'for finance exports', 'for data pipelines'] },
  { noun: 'webhook', plural: 'webhooks', verbs: ['receive', 'verify', 'forward', 'retry'],
    fields: [['source', 'string', 'Sender name'], ['secret_ref', 'string', 'Configuration key of the secret'], ['event_type', 'string', 'Event type filter']],
    tags: ['webhook', 'http', 'events'], purposes: ['for Stripe events', 'for GitHub pushes', 'for partner integrations'] },
  { noun: 'file', plural: 'files', verbs: ['upload', 'scan', 'compress', 'sync', 'download'],
    fields: [['path', 'string', 'File path or key'], ['bucket', 'string', 'Bucket name'], ['size_limit', 'integer', 'Largest accepted size in bytes']],
    tags: ['files', 'storage', 's3', 'upload'], purposes: ['for user uploads', 'for backups', 'for shared drives'] },
  { noun: 'address', plural: 'addresses', verbs: ['geocode', 'validate', 'autocomplete', 'normalize'],
    fields: [['query', 'string', 'Free-form address'], ['country', 'string', 'ISO country code'], ['limit', 'integer', 'Maximum results']],
    tags: ['geo', 'maps', 'location', 'address'], purposes: ['for checkout forms', 'for delivery routing', 'for store locators'] },
  { noun: 'chat', plural: 'chats', verbs: ['send', 'moderate', 'summarize', 'archive'],
    fields: [['channel', 'string', 'Channel or room id'], ['message', 'string', 'Message text'], ['thread_id', 'string', 'Thread to reply in']],
    tags: ['chat', 'slack', 'discord', 'messaging'], purposes: ['for team alerts', 'for community servers', 'for support desks'] },
  { noun: 'document', plural: 'documents', verbs: ['index', 'search', 'embed', 'rank'],
    fields: [['query', 'string', 'Search text'], ['top_k', 'integer', 'Number of results'], ['filter', 'string', 'Metadata filter']],
    tags: ['search', 'vector', 'rag', 'embeddings'], purposes: ['for knowledge bases', 'for semantic search', 'for chatbots'] },
  { noun: 'report', plural: 'reports', verbs: ['generate', 'schedule', 'export', 'render'],
    fields: [['template', 'string', 'Report template'], ['period', 'string', 'Reporting period'], ['format', 'string', 'Output format such as xlsx']],
    tags: ['reports', 'analytics', 'bi'], purposes: ['for monthly reviews', 'for investors', 'for compliance'] },
  { noun: 'token', plural: 'tokens', verbs: ['sign', 'verify', 'refresh', 'revoke'],
    fields: [['subject', 'string', 'Subject claim'], ['audience', 'string', 'Audience claim'], ['ttl_seconds', 'integer', 'Token lifetime']],
    tags: ['jwt', 'auth', 'oauth', 'security'], purposes: ['for API gateways', 'for single sign-on', 'for service-to-service calls'] },
];

export const ADJECTIVES = ['fast', 'tiny', 'smart', 'simple', 'secure', 'cloud', 'turbo', 'lite', 'open', 'easy', 'super', 'nano'];
export const SUFFIXES = ['kit', 'tools', 'service', 'worker', 'hub', 'bridge', 'pipeline', 'ops', 'engine', 'box'];
export const VENDORS = ['acme', 'nimbus', 'orbit', 'quartz', 'lumen', 'vertex', 'cobalt', 'delta', 'ember', 'fjord', 'helix', 'kite'];
export const LICENSES = ['Apache-2.0', 'MIT', 'MIT', 'Apache-2.0', 'BSD-3-Clause', 'MPL-2.0'];
export const QUALITIES = ['with retries and backoff', 'with structured errors', 'with metrics for every call', 'with a small memory footprint', 'with streaming through channels', 'with per-tenant limits'];

/** Sentence templates of README paragraphs: {verb}, {noun}, {plural}, {purpose}, {name}, {quality}. */
export const SENTENCES = [
  '{name} helps you {verb} {plural} {purpose} without writing the plumbing yourself.',
  'Every call to {verb} one {noun} is validated against a JSON Schema before any work starts.',
  'The worker keeps its state small and answers {quality}, so it fits in busy deployments.',
  'When a request fails, the error names the field at fault and says how to fix it.',
  'You can {verb} one {noun} at a time or send a batch and let the worker spread the load.',
  'Configuration lives in the configuration built-in, so secrets never appear in calls.',
  'Most teams use it {purpose} and combine it with a queue for long-running work.',
  'Timeouts are explicit: each function accepts a budget and stops cleanly when it runs out.',
  'The {noun} handling follows the published standards closely and is tested against real samples.',
  'Logs carry a correlation id so one {noun} can be followed across services.',
  'Upgrades are safe within a major version; breaking changes are listed in the changelog.',
  'For local development, run the engine with the development profile and call the functions directly.',
  'Large {plural} are streamed through channels instead of being copied into message payloads.',
  'The defaults suit most projects; tune the limits only after measuring your own traffic.',
  'If you need to {verb} {plural} on a schedule, bind the function to a cron trigger.',
  'Results are deterministic for the same input, which makes caching them straightforward.',
  'Each function documents its request and response schema, so agents can call it without guessing.',
  'Rate limits of upstream providers are respected, and the worker backs off before it is throttled.',
  'The project started as an internal tool {purpose} and was later opened up for everyone.',
  'Health checks report the version, the uptime and the state of every upstream connection.',
  'Tests run against recorded fixtures and against a live sandbox before every release.',
  'The smallest deployment needs one CPU and a few hundred megabytes of memory.',
  'Questions and bug reports are welcome in the issue tracker of the repository.',
  'A dry-run flag lets you {verb} {plural} without side effects while you wire things up.',
];
