import type { AgentContextInput, AgentContextOptions } from './agent-context-input';

// Placeholder until the renderer lands (helper task in progress).
export function renderAgentContext(input: AgentContextInput, _options: AgentContextOptions = {}): string {
  return `# ${input.worker.name} ${input.worker.version}\n`;
}
