/** A stable colour per actor, so the same person looks the same in the list and on the canvas. */
export function participantColor(actorId: string): string {
  let hash = 0;
  for (const char of actorId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360}, 65%, 42%)`;
}
