// A link that sets up a run: the query string of its shared settings (src/lib/url/settings.ts),
// with the task always named, first. (The settings table leaves out values at their default,
// and a link without a task leaves the set-up screen's own choice, e.g. a dataset just imported.)

import { encodeSettings, type SharedSettings } from '../../lib/url/settings';

export function setupQuery(s: SharedSettings): string {
  const rest = new URLSearchParams(encodeSettings(s));
  rest.delete('task');
  return `?${new URLSearchParams([['task', s.task], ...rest])}`;
}
