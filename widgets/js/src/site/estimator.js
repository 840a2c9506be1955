// The passphrase lab's strength estimator, a chunk of its own: the page imports it only when
// a visitor first types in the lab, so no other page, and no visit that skips the lab, pays
// for its word lists (their size is in docs/static-site.md).
//
// zxcvbn-ts with its common password and diceware lists and keyboard graphs, plus the
// Vietnamese names and words the Python side penalises (widgets/passphrase.py LOCAL_WORDS,
// which build.mjs reads and injects as NETWISE_LOCAL_WORDS) as user inputs, as Python does.

import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";

/* global NETWISE_LOCAL_WORDS */
export const LOCAL_WORDS = NETWISE_LOCAL_WORDS;

const factory = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });

// The estimator's own result (score 0-4, feedback keys, crack times) for at most maxLength characters.
export function estimate(text, maxLength = 100) {
  return factory.check(String(text).slice(0, maxLength), LOCAL_WORDS);
}
