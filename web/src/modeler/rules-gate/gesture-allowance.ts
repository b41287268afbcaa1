/**
 * Whether the page is handling a real user input event right now (pointer, key, click), as
 * opposed to a script calling the modeling API. While it is, the gate lets the editor's tools
 * preview a gesture (drag feedback, drop targets) and turns the gesture's command into a
 * proposal. It never lets anything execute: that takes a permit. Chromium exposes the event
 * being dispatched as `window.event` and marks events the user made as trusted; only input
 * events (pointer, mouse, key, focus, wheel: UIEvents) count — a trusted `message` or network
 * event is no gesture.
 */
export default class GestureAllowance {
  static $inject: string[] = [];

  active(): boolean {
    const event = (globalThis as { event?: Event }).event;
    return event !== undefined && event.isTrusted && event instanceof UIEvent;
  }
}
