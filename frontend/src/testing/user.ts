/*
 * userEvent for the editor tests, set up to do no waiting of its own: no real-timer pause between the steps of an
 * action (delay: null), and no getComputedStyle walk up the tree before every pointer action to check
 * `pointer-events` (the costliest part of a click on @grafana/ui's deeply styled trees in jsdom). What a test
 * checks is the editor's answer to the event, which this leaves unchanged.
 */
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';

export type User = ReturnType<typeof userEvent.setup>;

export function fastUser(): User {
  return userEvent.setup({ delay: null, pointerEventsCheck: PointerEventsCheckLevel.Never });
}
