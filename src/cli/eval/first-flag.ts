import { countWith, type Detector } from '../../model/scoring/detector.js';
import { emptyProfile, type ClassifiedPrompt } from '../../model/scoring/profile.js';
import { isFlagged, scoreProfile } from '../../model/scoring/score.js';

/**
 * Replays an account's prompts in arrival order through the live update path and returns how many
 * it had sent when it first reached review or block, or null if it never did.
 */
export function promptsToFirstFlag(prompts: Iterable<ClassifiedPrompt>, detector: Detector): number | null {
  const profile = emptyProfile();
  for (const p of prompts) {
    countWith(detector, profile, p);
    if (isFlagged(scoreProfile(profile, detector).tier)) return profile.n;
  }
  return null;
}
