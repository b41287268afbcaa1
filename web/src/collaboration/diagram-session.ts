import type Modeler from 'bpmn-js/lib/Modeler.js';
import { Code, ConnectError } from '@connectrpc/connect';
import { RejectCode } from '../gen/flowledger/modeling/v1/modeling_pb.js';
import type { ModelingApi } from '../api/modeling-api.js';
import type { Operation } from '../modeler/operations.js';
import { createdIds, referencedIds } from '../modeler/operations.js';
import type { Proposal } from '../modeler/proposals/gesture-translator.js';
import type ChangeApplier from '../modeler/change-applier/change-applier.js';
import type ProposalFeedback from '../modeler/feedback/proposal-feedback.js';
import { ChangeFeed, type AppliedChange } from './change-feed.js';
import { UserHistory } from './user-history.js';
import { proposeWithRetries } from './propose-with-retries.js';

/** A proposal waiting to be sent: a gesture, or a step of the user's undo/redo (read when sent). */
type Outgoing = { purpose: 'gesture'; proposal: Proposal } | { purpose: 'undo' | 'redo' };

export interface Violation {
  elementId: string;
  rule: string;
  message: string;
}

/** What the page shows about the session (status line, rejection panel). */
export interface SessionView {
  status(kind: 'idle' | 'pending' | 'applied' | 'rejected' | 'offline' | 'info', text: string): void;
  rejected(code: string, message: string, violations: Violation[]): void;
  versionChanged(version: number, actorId: string): void;
}

const MAX_RETRIES = 3;
const GAP_RELOAD_MS = 3_000;

/**
 * One open diagram: keeps the canvas at the server's latest version (Subscribe), sends the
 * user's proposals one at a time, applies what the server applied in version order, and
 * handles rejections — VERSION_MISMATCH is caught up and re-proposed when the elements the
 * gesture concerns were not changed meanwhile.
 */
export class DiagramSession {
  private feed = new ChangeFeed(0);
  private readonly queue: Outgoing[] = [];
  private readonly history = new UserHistory();
  private sending = false;
  private readonly abort = new AbortController();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly api: ModelingApi,
    private readonly modeler: Modeler,
    private readonly diagramId: string,
    private readonly view: SessionView,
  ) {
    const eventBus = modeler.get<{ on(e: string, f: (e: never) => void): void }>('eventBus');
    eventBus.on('proposals.proposed', (proposal: Proposal) => this.enqueue({ purpose: 'gesture', proposal }));
    eventBus.on('proposals.empty', () =>
      view.status('info', 'Nothing to propose (labels cannot be moved on their own yet).'),
    );
    eventBus.on('proposals.failed', (event: { error: Error }) => {
      view.rejected('NOT_PROPOSED', event.error.message, []);
      void this.reload();
    });
    eventBus.on('rulesGate.undo', () => this.undo());
    eventBus.on('rulesGate.redo', () => this.redo());
  }

  get version(): number {
    return this.feed.version;
  }

  async open(): Promise<void> {
    await this.reload();
    void this.subscribe();
  }

  close(): void {
    this.abort.abort();
    clearTimeout(this.gapTimer);
  }

  /** Proposes the inverse of the user's last applied change (other users' changes stay). */
  undo(): void {
    this.enqueue({ purpose: 'undo' });
  }

  redo(): void {
    this.enqueue({ purpose: 'redo' });
  }

  private enqueue(outgoing: Outgoing): void {
    this.queue.push(outgoing);
    if (outgoing.purpose === 'gesture') this.feedback().markPending(outgoing.proposal.elementIds, true);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let outgoing = this.queue.shift(); outgoing; outgoing = this.queue.shift()) {
        const operations = this.operationsOf(outgoing);
        if (!operations) {
          this.view.status('info', outgoing.purpose === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.');
          continue;
        }
        this.view.status(
          'pending',
          `Proposing ${outgoing.purpose === 'gesture' ? describe(operations) : outgoing.purpose}…`,
        );
        const outlines = this.feedback().showPendingCreations(operations);
        try {
          await this.send(outgoing, operations, this.feed.version, 0);
        } catch (error) {
          if (signedOut(error)) throw error; // the page signs in again
          this.view.status('offline', `Could not reach the server: ${(error as Error).message}`);
        } finally {
          outlines.remove();
          if (outgoing.purpose === 'gesture') this.feedback().markPending(outgoing.proposal.elementIds, false);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private operationsOf(outgoing: Outgoing): Operation[] | undefined {
    if (outgoing.purpose === 'gesture') return outgoing.proposal.operations;
    const entry = outgoing.purpose === 'undo' ? this.history.nextUndo() : this.history.nextRedo();
    return outgoing.purpose === 'undo' ? entry?.inverse : entry?.forward;
  }

  private async send(outgoing: Outgoing, operations: Operation[], baseVersion: number, attempt: number): Promise<void> {
    const request = {
      diagramId: this.diagramId,
      baseVersion: BigInt(baseVersion),
      transactionId: crypto.randomUUID(),
      operations,
    };
    const response = await proposeWithRetries(this.api, request, (text) => this.view.status('offline', text));
    const result = response.result;
    if (result.case === 'applied') {
      const version = Number(result.value.version);
      const idMap = result.value.idMap;
      this.accept({ version, operations, idMap, actorId: '' });
      await this.reach(version);
      if (outgoing.purpose === 'gesture') {
        this.history.recorded({ forward: operations, inverse: outgoing.proposal.inverse }, idMap);
        this.editNewLabel(operations, idMap);
      } else if (outgoing.purpose === 'undo') this.history.undone(idMap);
      else this.history.redone(idMap);
      const warnings = result.value.lintWarnings.map((w) => ({
        elementId: w.elementId,
        text: `${w.rule}: ${w.message}`,
      }));
      const pinned = this.feedback().pin('lint', warnings);
      const diagramWide = warnings.filter((w) => !pinned.includes(w)).map((w) => w.text);
      this.feedback().clear('rejection');
      const done = `${outgoing.purpose === 'gesture' ? 'Applied' : capitalized(outgoing.purpose)} as version ${version}.`;
      this.view.status('applied', diagramWide.length ? `${done} Diagram: ${diagramWide.join('; ')}` : done);
      return;
    }
    if (result.case !== 'rejected') throw new Error('empty answer to Propose');
    const rejected = result.value;
    if (rejected.code === RejectCode.VERSION_MISMATCH && attempt < MAX_RETRIES) {
      await this.reach(Number(rejected.currentVersion));
      // Undo/redo are re-proposed as they are: the server decides whether they still apply.
      const concerned = operations.flatMap(referencedIds).filter((id) => !isCreatedIn(id, operations));
      if (outgoing.purpose !== 'gesture' || !this.feed.touchedAny(baseVersion, concerned)) {
        return this.send(outgoing, operations, this.feed.version, attempt + 1);
      }
      this.view.rejected(
        'CONFLICT',
        'Someone changed the same elements at the same time; your change was not applied. The diagram shows their version.',
        [],
      );
      return;
    }
    const code = RejectCode[rejected.code] ?? String(rejected.code);
    const violations = rejected.violations.map((v) => ({ elementId: v.elementId, rule: v.rule, message: v.message }));
    this.feedback().pin(
      'rejection',
      violations.map((v) => ({ elementId: v.elementId, text: `${v.rule}: ${v.message}` })),
    );
    if (outgoing.purpose === 'undo') this.history.dropUndo();
    if (outgoing.purpose === 'redo') this.history.dropRedo();
    const message =
      outgoing.purpose === 'gesture'
        ? rejected.message
        : `Your ${outgoing.purpose} no longer applies to the diagram as it is now: ${rejected.message}`;
    this.view.rejected(code, message, violations);
  }

  /** Like bpmn.io: a shape the user just created opens for typing its name. */
  private editNewLabel(operations: Operation[], idMap: Record<string, string>): void {
    const created = operations.flatMap((o) => (o.op.case === 'createShape' ? [o.op.value] : []));
    if (created.length !== 1 || created[0]!.name) return;
    const id = idMap[created[0]!.id];
    const element = id && this.modeler.get<{ get(id: string): unknown }>('elementRegistry').get(id);
    if (element) this.modeler.get<{ activate(e: unknown): void }>('directEditing').activate(element);
  }

  private accept(change: AppliedChange): void {
    for (const ready of this.feed.offer(change)) {
      try {
        this.changeApplier().apply(ready.version, ready.operations, ready.idMap);
        this.view.versionChanged(ready.version, ready.actorId);
      } catch (error) {
        console.warn(`version ${ready.version} could not be applied step by step; reloading`, error);
        void this.reload();
        return;
      }
    }
    clearTimeout(this.gapTimer);
    // A version that never arrives (a lost stream message) must not hold the canvas back.
    if (change.version > this.feed.version) this.gapTimer = setTimeout(() => void this.reload(), GAP_RELOAD_MS);
    this.wake();
  }

  private async subscribe(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const stream = this.api.subscribe(
          { diagramId: this.diagramId, fromVersion: BigInt(this.feed.version) },
          { signal: this.abort.signal },
        );
        this.view.status('idle', 'Live.');
        for await (const change of stream) {
          this.accept({
            version: Number(change.version),
            operations: change.operations as Operation[],
            idMap: change.idMap,
            actorId: change.actorId,
          });
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (signedOut(error)) throw error; // the page signs in again
        this.view.status('offline', `Live updates interrupted (${(error as Error).message}); reconnecting…`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  /** Loads the latest version as a whole (first open, or when step-by-step application fails). */
  async reload(): Promise<void> {
    const { xml, version } = await this.api.getDiagram({ diagramId: this.diagramId, version: 0n });
    const canvas = this.modeler.get<{ viewbox(v?: unknown): unknown }>('canvas');
    const viewbox = this.feed.version > 0 ? canvas.viewbox() : undefined;
    await this.modeler.importXML(xml);
    if (viewbox) canvas.viewbox(viewbox);
    this.feed.resetTo(Number(version));
    this.view.versionChanged(Number(version), '');
    this.wake();
  }

  /** Resolves once the canvas is at `version` or later (catching up through Subscribe, else a reload). */
  private async reach(version: number): Promise<void> {
    if (this.feed.version >= version) return;
    const caughtUp = new Promise<void>((resolve) => {
      const check = () => (this.feed.version >= version ? resolve() : this.waiters.push(check));
      this.waiters.push(check);
    });
    const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), GAP_RELOAD_MS));
    if ((await Promise.race([caughtUp, timeout])) === 'late') await this.reload();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private changeApplier(): ChangeApplier {
    return this.modeler.get<ChangeApplier>('changeApplier');
  }

  private feedback(): ProposalFeedback {
    return this.modeler.get<ProposalFeedback>('proposalFeedback');
  }
}

function isCreatedIn(id: string, operations: Operation[]): boolean {
  return operations.some((o) => createdIds(o).includes(id));
}

function signedOut(error: unknown): boolean {
  return error instanceof ConnectError && error.code === Code.Unauthenticated;
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function describe(operations: Operation[]): string {
  const kinds = [...new Set(operations.map((o) => o.op.case))];
  return kinds.map((k) => k.replace(/([A-Z])/g, ' $1').toLowerCase()).join(', ');
}
