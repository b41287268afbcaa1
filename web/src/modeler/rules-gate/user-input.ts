/**
 * Whether the page is handling a real user input event right now (pointer, key, click), as
 * opposed to a script calling the modeling API. Only user gestures become proposals; Chromium
 * exposes the event being dispatched as `window.event`, and marks events the user made as trusted.
 */
export default class UserInput {
  static $inject: string[] = [];

  active(): boolean {
    const event = (globalThis as { event?: Event }).event;
    return event !== undefined && event.isTrusted;
  }
}
