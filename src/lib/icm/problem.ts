// What ICM knows of the data: each item's consistency group and key (paper §2.2), and
// whether the task compares two responses. Never an item's text, never its gold label.

export interface ICMItem {
  group: string;
  key: string;
}

export interface Problem {
  items: ICMItem[];
  comparison: boolean; // comparison tasks: both orderings False is also inconsistent
  exclusive?: boolean; // different keys in a group exclude each other (one final answer); default true
  fixed?: (boolean | null)[]; // labels a person set in review: given from the start, never changed by the search
}

/** A labeling D: the label of each pool item, null while unlabeled. */
export type Labels = (boolean | null)[];

/** Pool indices of the labeled items, in pool order. */
export function labeledItems(labels: Labels): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== null) out.push(i);
  return out;
}
