/**
 * Error sentences of the real iii-directory (kits.md §4.1): `<Dnnn> <class>: <what>. Next: <how>.`
 * The engine hands them to callers inside `InvocationError.message`; they never carry the registry URL or a raw
 * HTTP status, so an agent can show them as they are.
 */
export type ErrorClass = 'not_found' | 'invalid_input' | 'registry_error' | 'compose_error' | 'integrity' | 'compose_not_running';

export class DirectoryError extends Error {
  constructor(
    readonly code: string,
    readonly errorClass: ErrorClass,
    what: string,
    next?: string,
  ) {
    super(`${code} ${errorClass}: ${what.replace(/\.$/, '')}.${next ? ` Next: ${next.replace(/\.$/, '')}.` : ''}`);
    this.name = 'DirectoryError';
  }
}

export const isDirectoryError = (err: unknown, code?: string): err is DirectoryError =>
  err instanceof DirectoryError && (code === undefined || err.code === code);

export const D510 = (what: string, next = 'call directory::kits::list to see the installed kits') =>
  new DirectoryError('D510', 'not_found', what, next);
export const D511 = (ref: string) =>
  new DirectoryError('D511', 'invalid_input', `"${ref}" is not a kit reference <author>/<kit>[@version|tag|range]`,
    'write it like acme/kanban-team, acme/kanban-team@1.3.0, acme/kanban-team@^1.3 or acme/kanban-team@next');
export const D512Missing = (planId: string) =>
  new DirectoryError('D512', 'not_found', `plan "${planId}" does not exist (it was applied, discarded or never made)`,
    'call directory::download-kit or directory::kits::plan-update to make a new plan');
export const D512Expired = (planId: string, at: string) =>
  new DirectoryError('D512', 'invalid_input', `plan "${planId}" expired at ${at}`,
    'call directory::download-kit or directory::kits::plan-update to make a fresh plan');
export const D513 = (what: string) =>
  new DirectoryError('D513', 'invalid_input', what, 'call directory::kits::plan with contents=true to see each file\'s options');
export const D514Blocked = (what: string) =>
  new DirectoryError('D514', 'invalid_input', `the plan is blocked: ${what}`, 'fix what blocks it, then make a new plan');
export const D514Compose = () =>
  new DirectoryError('D514', 'compose_not_running', 'the Compose daemon does not answer, and this plan adds or moves workers',
    'start the project with `iii compose --up`, then apply again');
export const D515 = (what: string) =>
  new DirectoryError('D515', 'compose_error', what, 'check compose::operation, then apply the plan again');
export const D516 = (what: string) =>
  new DirectoryError('D516', 'integrity', what, 'nothing was written; make a new plan and review it again');
export const D520 = (what: string) =>
  new DirectoryError('D520', 'registry_error', what, 'retry shortly');
