// Built-in task 3, pairwise comparison (the paper's Alpaca testbed): an instruction and two
// responses, one helpful and correct, one worse (wrong, off-topic, rude, truncated or padded).
// Each pair appears in both orders as two items of one group. The key names the ordering an
// item claims in terms of response identities ("a>b": Response 1 is a), never which is better,
// so exactly one of the two orderings must be True.

import { Rng } from '../../icm/rng';
import type { DataItem, Dataset } from '../types';
import { MAKERS, type Instruction } from './comparisonTasks';
import { alignedGroups } from './lengthBias';
import { pick } from './text';

const SEED = 0x636d7072; // "cmpr"
const GOOD_LONGER = 0.6; // share of pairs where the better response is also the longer one

const OFF_TOPIC_SHORT = ['I really like rainy days.', 'Cats sleep most of the day.', 'My favorite color is green.', 'The library closes at six.', 'Bananas are rich in potassium.'];
const OFF_TOPIC_LONG = [
  'Cats sleep for twelve to sixteen hours a day, which is why they often seem lazy. They are most active at dawn and dusk.',
  'The Pacific is the largest ocean on Earth and covers about a third of its surface. It is also the deepest ocean.',
  'Most bread needs only flour, water, salt and yeast, plus some patience while the dough rises in a warm place.',
  'Early bicycles had no pedals at all. Riders pushed themselves along with their feet, which must have been tiring.',
  'Lighthouses once needed a keeper to trim the wick and wind the clockwork every night. Today most of them run automatically.',
];
const RUDE_SHORT = ['Look it up yourself.', 'Not my problem.', 'Figure it out.', 'Why are you asking me?'];
const RUDE_LONG = [
  "Honestly, this is such a basic question that I don't see why you're asking me. Try a search engine before bothering people.",
  'I have better things to do than answer something you could work out in five seconds. Figure it out on your own.',
];
const RUDE_AFTER = ['Seriously, how did you not know that? Everyone knows that.', 'That was painfully obvious. Try thinking before you ask next time.'];
const PAD_BEFORE = ['Great question! This is something many people wonder about, and it is worth thinking about carefully before answering.', 'Thanks for asking! There are a lot of ways to look at this, and I want to make sure I give you a complete and thoughtful reply.'];
const PAD_AFTER = ['I hope this helps, and feel free to ask if you have any other questions at all!', 'Let me know if there is anything else you would like to know about this or any other topic!'];

/** The first half of the response's first sentence, cut off mid-thought (even mid-word). */
function truncate(text: string): string {
  const first = text.split(/(?<=[.!?]) /)[0];
  return first.slice(0, Math.ceil(first.length * 0.55)).trimEnd().replace(/[\s.,:;!?]+$/, '');
}

const pad = (rng: Rng, text: string): string => `${pick(rng, PAD_BEFORE)} ${text} ${pick(rng, PAD_AFTER)}`;

/** A worse response that is shorter than `good` (goodLonger) or longer than it. */
function worseResponse(rng: Rng, it: Instruction, good: string, goodLonger: boolean): string {
  const kind = rng.int(4);
  if (goodLonger) {
    const worse = [it.wrongShort, pick(rng, OFF_TOPIC_SHORT), pick(rng, RUDE_SHORT), truncate(it.goodLong)][kind];
    return worse.length < good.length ? worse : truncate(it.goodLong);
  }
  const rudeLong = rng.next() < 0.5 ? pick(rng, RUDE_LONG) : `${it.goodShort} ${pick(rng, RUDE_AFTER)}`;
  const worse = [it.wrongLong, pick(rng, OFF_TOPIC_LONG), rudeLong, pad(rng, it.goodShort)][kind];
  return worse.length > good.length ? worse : pad(rng, it.goodShort);
}

export function comparisonDataset(): Dataset {
  const rng = Rng.fromSeed(SEED);
  const instructions = rng.shuffle(MAKERS.flatMap(([make, count]) => make(rng, count)));
  const goodLonger = alignedGroups(rng, instructions.length, GOOD_LONGER);
  const items: DataItem[] = [];
  instructions.forEach((it, p) => {
    const good = goodLonger[p] ? it.goodLong : it.goodShort;
    const worse = worseResponse(rng, it, good, goodLonger[p]);
    // which of the two responses is called "a" is random, so the ids say nothing about quality
    const aIsGood = rng.next() < 0.5;
    const [a, b] = aIsGood ? [good, worse] : [worse, good];
    const group = `cmp-${p}`;
    items.push(
      { id: `${group}-ab`, group, key: 'a>b', question: it.instruction, claim: a, response2: b, gold: aIsGood },
      { id: `${group}-ba`, group, key: 'b>a', question: it.instruction, claim: b, response2: a, gold: !aIsGood },
    );
  });
  return {
    id: 'builtin-comparison',
    name: 'Pairwise comparison (generated)',
    kind: 'comparison',
    description: 'Is Response 1 a more helpful and correct answer than Response 2?',
    items,
  };
}
