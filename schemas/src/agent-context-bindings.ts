import type { RegisteredTrigger } from './api-reference';
import { codeSpan } from './agent-context-markdown';
import { bindingLabel, bindingsOf, unmatchedBindings } from './trigger-bindings';

/** `- triggers: `POST /todos`, `cron 0 * * * *`` under a function, or undefined when it has no binding. */
export function functionBindingsLine(functionName: string, triggers: RegisteredTrigger[] | undefined): string | undefined {
  const own = bindingsOf(functionName, triggers);
  return own.length === 0 ? undefined : `- triggers: ${own.map((t) => codeSpan(bindingLabel(t))).join(', ')}`;
}

/** One line for bindings whose function id names no function row, so none is lost; undefined when there are none. */
export function otherBindingsLine(functionNames: string[], triggers: RegisteredTrigger[] | undefined): string | undefined {
  const rest = unmatchedBindings(functionNames, triggers);
  return rest.length === 0
    ? undefined
    : `Other trigger bindings: ${rest.map((t) => `${codeSpan(bindingLabel(t))} → ${codeSpan(t.function_id)}`).join(', ')}`;
}
