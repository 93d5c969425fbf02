import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { BuiltinError, isBuiltin, newest, runBuiltin, type EngineView, type WorkerRecord } from './builtins';
import { isObject, parseFrame, type ErrorBody, type Frame, type InvokeFrame, type RegisterFunctionFrame,
  type RegisterTriggerFrame, type RegisterTriggerTypeFrame, type ResultFrame } from './frames';

export interface DevEngineOptions {
  /** 0 (the default here) asks the OS for a free port. */
  port?: number;
  host?: string;
}

export interface DevEngineEvents {
  connect: [workerId: string, ip: string];
  disconnect: [workerId: string];
  registerfunction: [workerId: string, frame: RegisterFunctionFrame];
  registertriggertype: [workerId: string, frame: RegisterTriggerTypeFrame];
  registertrigger: [workerId: string, frame: RegisterTriggerFrame];
  'workerregistered-call': [workerId: string, payload: Record<string, unknown>];
  reattach: [workerId: string, previousWorkerId: string];
}

/** A call the engine forwarded and still waits on; keyed by the engine's own invocation id. */
interface Pending {
  callerId: string;
  callerInvocationId: string;
  targetId: string;
  functionId: string;
}

/** Reattach tokens of closed connections, kept so a reconnecting worker can be recognised (bounded). */
const MAX_REMEMBERED_TOKENS = 1000;

/**
 * The development engine: enough of the iii engine's WebSocket protocol (bus.md) for the unmodified iii-sdk.
 * For development and tests only; production runs the real iii engine.
 */
export class DevEngine extends EventEmitter<DevEngineEvents> {
  readonly url: string;
  private readonly sockets = new Map<string, WebSocket>();
  private readonly tokens = new Map<string, string>();
  private readonly pending = new Map<string, Pending>();
  /** Round-robin position per function id, for ids that several workers registered. */
  private readonly turns = new Map<string, number>();
  private readonly view: EngineView = {
    workers: new Map<string, WorkerRecord>(),
    functions: new Map(),
    triggerTypes: new Map(),
    triggers: new Map(),
    activeInvocations: (workerId) => [...this.pending.values()].filter((p) => p.targetId === workerId).length,
  };

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    host: string,
  ) {
    super();
    this.url = `ws://${host}:${port}`;
  }

  static async start(options: DevEngineOptions = {}): Promise<DevEngine> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('iii development engine: connect with a WebSocket\n');
    });
    const wss = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const engine = new DevEngine(server, wss, (server.address() as AddressInfo).port, host);
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => engine.accept(ws, req));
    });
    return engine;
  }

  /** Functions currently registered, each with its newest registration and every worker that serves it. */
  functions(): Array<{ id: string; owner: string; owners: string[]; frame: RegisterFunctionFrame }> {
    return [...this.view.functions.entries()].map(([id, regs]) => ({ id, ...newest(regs), owners: regs.map((r) => r.owner) }));
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    // The SDK's telemetry socket: accepted so the SDK stays quiet, and everything on it ignored.
    if ((req.url ?? '/').split('?')[0].endsWith('/otel')) {
      ws.on('error', () => ws.terminate());
      return;
    }
    const id = randomUUID();
    const token = randomUUID();
    const ip = req.socket.remoteAddress ?? '';
    this.sockets.set(id, ws);
    this.tokens.set(id, token);
    this.view.workers.set(id, { id, connectedAtMs: Date.now(), ip });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const raw = data.toString();
      const frame = parseFrame(raw);
      if (frame) this.onFrame(id, frame, raw);
    });
    ws.on('close', () => this.onClose(id));
    ws.on('error', () => ws.terminate());
    this.send(id, { type: 'workerregistered', worker_id: id, reattach_token: token });
    this.emit('connect', id, ip);
  }

  private send(workerId: string, frame: Record<string, unknown>): void {
    const ws = this.sockets.get(workerId);
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  private onFrame(workerId: string, frame: Frame, raw: string): void {
    const { functions, triggerTypes, triggers } = this.view;
    switch (frame.type) {
      case 'registerfunction': {
        // Several workers may register one id and share its calls; a worker registering again replaces its own.
        const others = (functions.get(frame.id) ?? []).filter((r) => r.owner !== workerId);
        functions.set(frame.id, [...others, { owner: workerId, frame }]);
        this.emit('registerfunction', workerId, frame);
        break;
      }
      case 'unregisterfunction':
        this.dropRegistrations(workerId, frame.id);
        break;
      case 'registertriggertype':
        triggerTypes.set(frame.id, { owner: workerId, frame });
        this.emit('registertriggertype', workerId, frame);
        break;
      case 'unregistertriggertype':
        if (triggerTypes.get(frame.id)?.owner === workerId) triggerTypes.delete(frame.id);
        break;
      case 'registertrigger': {
        triggers.set(frame.id, { owner: workerId, ...frame });
        // The worker that provides the trigger type is the one that arms it.
        const provider = triggerTypes.get(frame.trigger_type)?.owner;
        if (provider) this.send(provider, frame);
        this.emit('registertrigger', workerId, frame);
        break;
      }
      case 'unregistertrigger': {
        const trigger = triggers.get(frame.id);
        if (trigger?.owner !== workerId) break;
        triggers.delete(frame.id);
        const provider = triggerTypes.get(trigger.trigger_type)?.owner;
        if (provider) this.send(provider, { ...frame, function_id: trigger.function_id });
        break;
      }
      case 'invokefunction':
        this.onInvoke(workerId, frame);
        break;
      case 'invocationresult':
        this.onResult(workerId, frame, raw);
        break;
      case 'reattach':
        // A worker coming back after a drop: recognised when its token matches. It re-registers everything
        // itself, so recognising it only matters for the log.
        if (this.tokens.get(frame.previous_worker_id) === frame.reattach_token) {
          this.tokens.delete(frame.previous_worker_id);
          this.emit('reattach', workerId, frame.previous_worker_id);
        }
        break;
    }
  }

  private reply(callerId: string, invocationId: string | undefined, functionId: string,
    outcome: { result: unknown } | { error: ErrorBody }): void {
    if (!invocationId) return; // void calls get no reply
    const frame: Record<string, unknown> = { type: 'invocationresult', invocation_id: invocationId, function_id: functionId };
    // The real engine drops a null result, so the caller sees undefined (bus.md).
    if ('error' in outcome) frame.error = outcome.error;
    else if (outcome.result !== null && outcome.result !== undefined) frame.result = outcome.result;
    this.send(callerId, frame);
  }

  private onInvoke(callerId: string, frame: InvokeFrame): void {
    const { invocation_id: invocationId, function_id: functionId } = frame;
    if (isBuiltin(functionId)) {
      try {
        const result = runBuiltin(this.view, callerId, functionId, frame.data);
        if (functionId === 'engine::workers::register')
          this.emit('workerregistered-call', callerId, isObject(frame.data) ? frame.data : {});
        this.reply(callerId, invocationId, functionId, { result });
      } catch (err) {
        const code = err instanceof BuiltinError ? err.code : 'invocation_failed';
        this.reply(callerId, invocationId, functionId, { error: { code, message: String((err as Error).message) } });
      }
      return;
    }
    if (frame.action?.type === 'enqueue') {
      const message = `No queue provider for '${frame.action.queue}': the development engine has no queues`;
      this.reply(callerId, invocationId, functionId, { error: { code: 'enqueue_error', message } });
      return;
    }
    const regs = this.view.functions.get(functionId);
    if (!regs) {
      this.reply(callerId, invocationId, functionId,
        { error: { code: 'function_not_found', message: `Function ${functionId} not found` } });
      return;
    }
    const turn = this.turns.get(functionId) ?? 0;
    this.turns.set(functionId, turn + 1);
    const target = regs[turn % regs.length];
    const data = isObject(frame.data) ? { ...frame.data, _caller_worker_id: callerId } : frame.data;
    const forwarded: Record<string, unknown> = { ...frame, data };
    if (invocationId) {
      // The caller's id travels on, so results can be relayed without re-encoding; a clash with a call already
      // in flight (another caller reusing an id) gets an id of our own, so nobody receives another's result.
      const engineInvocationId = this.pending.has(invocationId) ? randomUUID() : invocationId;
      this.pending.set(engineInvocationId, { callerId, callerInvocationId: invocationId, targetId: target.owner, functionId });
      forwarded.invocation_id = engineInvocationId;
    }
    this.send(target.owner, forwarded);
  }

  private onResult(workerId: string, frame: ResultFrame, raw: string): void {
    const call = this.pending.get(frame.invocation_id);
    // Only the worker the call went to may answer it.
    if (!call || call.targetId !== workerId) return;
    this.pending.delete(frame.invocation_id);
    // Relaying the text as received spares re-encoding large results; a null result still needs dropping.
    if (call.callerInvocationId === frame.invocation_id && frame.result !== null) {
      const ws = this.sockets.get(call.callerId);
      if (ws?.readyState === WebSocket.OPEN) ws.send(raw);
      return;
    }
    const outcome = frame.error ? { error: frame.error } : { result: frame.result };
    this.reply(call.callerId, call.callerInvocationId, call.functionId, outcome);
  }

  private dropRegistrations(workerId: string, functionId: string): void {
    const regs = this.view.functions.get(functionId);
    if (!regs) return;
    const left = regs.filter((r) => r.owner !== workerId);
    if (left.length > 0) this.view.functions.set(functionId, left);
    else {
      this.view.functions.delete(functionId);
      this.turns.delete(functionId);
    }
  }

  private onClose(workerId: string): void {
    const { functions, triggerTypes, triggers, workers } = this.view;
    this.sockets.delete(workerId);
    workers.delete(workerId);
    // Ownership: only this connection's registrations go away; the same ids registered elsewhere survive.
    for (const id of [...functions.keys()]) this.dropRegistrations(workerId, id);
    for (const [id, t] of triggerTypes) if (t.owner === workerId) triggerTypes.delete(id);
    for (const [id, t] of triggers) if (t.owner === workerId) triggers.delete(id);
    for (const [id, call] of this.pending) {
      if (call.targetId === workerId) {
        const message = `Worker running ${call.functionId} disconnected before answering`;
        this.reply(call.callerId, call.callerInvocationId, call.functionId, { error: { code: 'invocation_stopped', message } });
        this.pending.delete(id);
      } else if (call.callerId === workerId) this.pending.delete(id);
    }
    if (this.tokens.size > MAX_REMEMBERED_TOKENS) {
      const oldest = this.tokens.keys().next().value;
      if (oldest !== undefined) this.tokens.delete(oldest);
    }
    this.emit('disconnect', workerId);
  }
}
