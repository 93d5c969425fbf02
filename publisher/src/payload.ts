import {
  PublishPayloadSchema,
  SkillsPublishRequestSchema,
  renderAgentContext,
  validate,
  type ApiReference,
  type Binaries,
  type PublishPayload,
  type PublishPayloadIn,
  type SkillsPublishRequest,
  type WorkerDetail,
} from '@iii-registry/schemas';
import { CliError, EXIT } from './errors';
import type { Project } from './collect';

export interface ArtifactInput {
  tag?: string;
  archive?: { url: string; sha256: string };
  imageTag?: string;
  binaries?: Binaries;
}

/**
 * The POST /publish body, checked against the shared schema before anything is sent, so what `build`
 * writes is exactly what `publish` posts.
 */
export function buildPayload(project: Project, ref: ApiReference, artifacts: ArtifactInput): PublishPayload {
  const m = project.manifest;
  const meta = project.meta;
  const input: PublishPayloadIn = {
    worker_name: m.name,
    version: meta.version,
    ...(artifacts.tag ? { tag: artifacts.tag } : {}),
    type: meta.type,
    readme: project.readme,
    repo: meta.repo,
    description: meta.description,
    ...(meta.license ? { license: meta.license } : {}),
    tags: m.tags ?? [],
    experimental: false,
    dependencies: Object.entries(m.dependencies ?? {}).map(([name, version]) => ({ name, version })),
    config: project.config,
    functions: ref.functions,
    triggers: ref.triggers,
    ...(ref.registered_triggers?.length ? { registered_triggers: ref.registered_triggers } : {}),
    ...(artifacts.binaries ? { binaries: artifacts.binaries } : {}),
    ...(artifacts.imageTag ? { image_tag: artifacts.imageTag } : {}),
    ...(artifacts.archive ? { archive_url: artifacts.archive.url, sha256: artifacts.archive.sha256 } : {}),
  };
  const checked = validate(PublishPayloadSchema, input);
  if (!checked.ok)
    throw new CliError(
      EXIT.validation,
      'payload_invalid',
      'the publish payload is not valid',
      meta.type === 'binary'
        ? 'Binary workers need --binaries <file.json> mapping target triples to {url, sha256}.'
        : meta.type === 'image'
          ? 'Image workers need --image-tag <oci reference>.'
          : 'Fix the fields listed above.',
      checked.problems,
    );
  return checked.value;
}

export function buildSkillsRequest(project: Project): SkillsPublishRequest {
  const skills = Object.fromEntries(project.skills.map((s) => [s.key, s.content]));
  const checked = validate(SkillsPublishRequestSchema, { version: project.version, skills });
  if (!checked.ok)
    throw new CliError(EXIT.validation, 'skills_invalid', 'the skills are not valid', 'Fix the skill files listed above.', checked.problems);
  return checked.value;
}

/** Marks the preview as not yet published; `--date` replaces it so a preview can match a publish day. */
export const UNPUBLISHED = 'unpublished';

/** A WorkerDetail as the registry would serve it, for the local agent-context preview. */
export function previewDetail(payload: PublishPayload, publishedAt: string): WorkerDetail {
  return {
    name: payload.worker_name,
    description: payload.description,
    type: payload.type,
    version: payload.version,
    repo: payload.repo,
    config: payload.config,
    supported_targets: Object.keys(payload.binaries ?? {}).sort(),
    total_downloads: 0,
    dependencies: payload.dependencies,
    // The registry sets the author from the publishing key; the preview cannot know it.
    author: { name: '', pfp: null, verified: false },
    ...(payload.image_tag ? { image: payload.image_tag } : {}),
    license: payload.license ?? '',
    tags: payload.tags,
    experimental: payload.experimental,
    readme: payload.readme,
    functions: payload.functions,
    triggers: payload.triggers,
    ...(payload.registered_triggers ? { registered_triggers: payload.registered_triggers } : {}),
    published_at: publishedAt,
    status: 'active',
    status_message: null,
    version_tags: payload.tag ? [payload.tag] : [],
    ...(payload.binaries ? { binaries: payload.binaries } : {}),
    ...(payload.archive_url ? { archive_url: payload.archive_url } : {}),
    ...(payload.sha256 ? { sha256: payload.sha256 } : {}),
  };
}

/** The agent-context preview, rendered by the same renderer the registry uses; deterministic per input. */
export function previewAgentContext(payload: PublishPayload, project: Project, date?: string): string {
  return renderAgentContext({
    worker: previewDetail(payload, date ?? UNPUBLISHED),
    other_versions: [],
    skills: project.skills.map((s) => ({ path: s.key, ...(s.description ? { description: s.description } : {}) })),
  });
}
