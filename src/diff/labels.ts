import type { ImpactKind } from './types';

/** One word per impact kind, shared by the text and markdown formats. */
export const IMPACT_WORD: Record<ImpactKind, string> = {
  'sync-fails': 'fails',
  rolls: 'rolls',
  reloads: 'reloads',
  'restart-needed': 'restart',
  leader: 'leader',
  prunes: 'prunes',
  sealed: 'sealed',
  namespace: 'namespace',
  switch: 'switch',
  scales: 'scales',
  creates: 'creates',
};

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
