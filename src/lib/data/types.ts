// The dataset schema shared by built-in tasks, import, the prompt builder and the
// simulated model. Consistency keys never depend on the gold label (DESIGN §2).

export type TaskKind = 'math' | 'factual' | 'comparison';

export interface DataItem {
  id: string; // unique within its dataset
  group: string; // consistency group: one problem, one question, one pair of responses
  key: string; // consistency key: the final answer, the answer's identity, or the ordering claimed
  question: string; // the problem, question, or instruction
  claim: string; // claim tasks: the candidate solution or answer; comparison: Response 1
  response2?: string; // comparison tasks only: Response 2
  gold?: boolean; // evaluation only: the search never reads it
}

export interface Dataset {
  id: string;
  name: string;
  kind: TaskKind;
  description: string; // one line, optionally shown to the model before the demonstrations
  exclusive?: boolean; // claims with different keys in a group cannot both be true (default true);
  // false for questions with several right answers (TruthfulQA-style), where only same-key claims constrain
  items: DataItem[];
}
