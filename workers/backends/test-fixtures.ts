import type { DataItem } from '../../src/lib/data/types';
import type { Segment } from '../../src/lib/icm/model';

// Claims the backend tests score: two questions, two answers each.
export const items: DataItem[] = [
  { id: 'a', group: 'g1', key: '4', question: 'What is 2 + 2?', claim: '2 + 2 = 4, so the answer is 4.' },
  { id: 'b', group: 'g1', key: '5', question: 'What is 2 + 2?', claim: 'Adding 2 and 2 gives 5.' },
  { id: 'c', group: 'g2', key: 'Paris', question: 'What is the capital of France?', claim: 'Paris' },
  { id: 'd', group: 'g2', key: 'Lyon', question: 'What is the capital of France?', claim: 'Lyon' },
];

// Demonstrations that are read too (the block plan), a demonstration that is not read, a target.
export const segments: Segment[] = [
  { item: 0, read: true, label: true },
  { item: 1, read: true, label: false },
  { item: 2, read: false, label: true },
  { item: 3, read: true, label: null },
];
