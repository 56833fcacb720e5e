/**
 * Per-prompt lexical signals. They are deliberately phrase-level and language-agnostic about the
 * content: they describe how a prompt asks, not what it asks about (that is the classifier's job).
 */

// Requests to expose the reasoning, not just the answer: the distiller wants the trace.
const ELICIT = new RegExp(
  [
    String.raw`step[- ]by[- ]step`,
    String.raw`chain[- ]of[- ]thoughts?`,
    String.raw`\b(show|explain|walk (me )?through|describe|outline|detail)\b[^.?!\n]{0,30}\b(reasoning|thought process|thinking|work(ings)?|steps|rationale|derivation)\b`,
    String.raw`\bexplain each (step|line|part)\b`,
    String.raw`\b(think|reason) (carefully|aloud|out loud|through)\b`,
    String.raw`\blet'?s think\b`,
    String.raw`\bbefore (giving|writing|stating|you give)\b[^.?!\n]{0,20}\b(final )?answer\b`,
    String.raw`\bthen give the final answer\b`,
    String.raw`\bjustify (your|each|the) (answer|score|choice|decision)\b`,
    String.raw`\b(rubric|grading criteria)\b`,
    String.raw`\b(grade|score|rate) (this|the following|each|both)\b[^.?!\n]{0,40}\b(scale|rubric|criteri|points?|out of)\b`,
    String.raw`\bwell[- ]commented\b`,
  ].join('|'),
  'i',
);

export function elicitsReasoning(text: string): boolean {
  return ELICIT.test(text);
}

// A self-contained task opens with an instruction verb (or "Given ..."): it carries everything needed
// to answer, the shape of instruction-tuning data. Organic prompts more often lead with context,
// a greeting, a first-person situation, or are bare search queries.
const TASK_OPENER =
  /^\s*(?:please\s+)?(?:write|create|implement|generate|compose|construct|develop|design|build|make|code|program|compute|calculate|solve|find|determine|evaluate|prove|show that|derive|simplify|classify|categori[sz]e|identify|extract|convert|rewrite|edit|translate|summari[sz]e|list|name|describe|explain|compare|analy[sz]e|suggest|recommend|provide|produce|output|return|give|predict|estimate|sort|count|check|verify|fix|debug|refactor|optimi[sz]e|complete|fill in|formulate|outline|propose|select|choose|rank|rearrange|reverse|remove|replace|insert|add|delete|get|retrieve|fetch|search|look up|plan|schedule|book|use|apply|given|consider|assume|suppose|let|define)\b/i;
// A problem statement: several sentences of set-up, then a question (word problems, scenario tasks).
const PROBLEM = /^[^?]{30,}[.!:]\s+[^?]*\?\s*$/s;
const CODE = /```|^\s*(?:def |class |import |from \S+ import|#include|function\s*\w*\(|public |SELECT\s)/m;
// Conversation markers: the user talks about themselves or to the assistant, not a task spec.
const CONVERSATIONAL =
  /^\s*(?:hi|hello|hey|thanks|thank you|ok|okay|so|well|yes|no|lol|i|i'm|im|i've|my|me|we're|do you|are you|can you|could you|would you|will you|what do you|have you|tell me about yourself)\b|\b(?:you said|your (?:last|previous) (?:answer|message)|as you (?:said|mentioned)|earlier you)\b/i;

// Instruction data is edited text: a finished sentence, or an instruction followed by its input.
// Search-box and forum-title phrasing ("convert list to dict python") usually stops without one.
const FINISHED = /[.!?:;)\]"'`]\s*$|\n/;

export type PromptStyle = 'task' | 'conversational' | 'query';

export function promptStyle(text: string): PromptStyle {
  if (CONVERSATIONAL.test(text)) return 'conversational';
  if ((TASK_OPENER.test(text) && FINISHED.test(text)) || PROBLEM.test(text) || CODE.test(text)) return 'task';
  return 'query';
}

/** Tokens of a one-line prompt's opening and closing that a template would fix. */
const SKELETON_TOKENS = 5;
// Shorter one-line prompts have no room for a slot: the skeleton would be the whole prompt.
const SKELETON_MIN_TOKENS = 8;
const LINE_CHARS = 80;

/**
 * Template skeletons, digits folded: for a multi-line prompt its first and last line (a harness
 * writes "Question: {x}\nAnswer:" or "[BEGIN TASK]\n{x}\n[END TASK]"), for a one-line prompt its
 * first and last few words ("Tag this question with one topic word: {x}"). Every filled-in copy of
 * a template maps to one key, whatever the slot holds.
 */
export function skeletonKeys(text: string): string[] {
  const lines = text
    .toLowerCase()
    .replace(/\d+/g, '0')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  if (lines.length >= 2) return [`^${lines[0]!.slice(0, LINE_CHARS)}`, `$${lines[lines.length - 1]!.slice(-LINE_CHARS)}`];
  const tokens = lines[0]?.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
  if (tokens.length < SKELETON_MIN_TOKENS) return [];
  return [`^${tokens.slice(0, SKELETON_TOKENS).join(' ')}`, `$${tokens.slice(-SKELETON_TOKENS).join(' ')}`];
}
