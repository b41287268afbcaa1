import type { Present } from '../collaboration/presence-session.js';
import { participantColor } from '../collaboration/participant-color.js';
import { element } from './page-header.js';

/** Who is in the diagram: one avatar (initials, the person's colour, name on hover) each; "you" marked. */
export function participantsBar(selfActorId: string): { node: HTMLElement; show(participants: Present[]): void } {
  const node = element('div', 'fl-participants');
  node.dataset.testid = 'participants';
  return {
    node,
    show(participants) {
      node.replaceChildren(
        ...participants.map((p) => {
          const self = p.actorId === selfActorId;
          const avatar = element('span', `fl-avatar${self ? ' fl-avatar-self' : ''}`, initials(p.actorId));
          avatar.dataset.actor = p.actorId;
          avatar.style.background = participantColor(p.actorId);
          const selected = p.selectedElementIds.length ? ` — selected ${p.selectedElementIds.join(', ')}` : '';
          avatar.title = `${p.actorId}${self ? ' (you)' : ''}${selected}`;
          return avatar;
        }),
      );
    },
  };
}

function initials(actorId: string): string {
  const parts = actorId.split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0]![0]! + parts[1]![0]! : actorId.slice(0, 2);
  return letters.toUpperCase();
}
