// The keys that move the step on show, wherever a step view has the keyboard focus (a chart,
// the replay bar, the inspector): ← → one step (Shift: ten), Page Up/Down a hundred, Home the
// seed labels, End back to the newest step.

import type { LearnState } from '../../lib/client/learn.svelte';

export function stepKeys(learn: LearnState): (e: KeyboardEvent) => void {
  return (e) => {
    const by = e.shiftKey ? 10 : 1;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowDown':
        learn.move(-by);
        break;
      case 'ArrowRight':
      case 'ArrowUp':
        learn.move(by);
        break;
      case 'PageDown':
        learn.move(-100);
        break;
      case 'PageUp':
        learn.move(100);
        break;
      case 'Home':
        learn.inspect(0);
        break;
      case 'End':
        learn.live();
        break;
      default:
        return;
    }
    e.preventDefault();
  };
}
