import { basename } from 'node:path';
import { error, hasErrors, type Diagnostic } from '../diag/diagnostic';
import type { Source } from '../load/decodeText';
import { findRepo, resolveCommit, treeFs, type GitRepo } from '../load/gitTree';
import type { Inputs } from '../load/inputs';
import { nodeFs } from '../load/nodeFs';
import type { RepoFs } from '../load/repoFs';
import { assessImpact } from '../diff/impact';
import { diffObjects } from '../diff/objectDiff';
import type { ChangeStatus, DiffReport, SideInfo } from '../diff/types';
import type { K8sObject } from '../render/renderApp';
import type { AppModel } from '../model/types';
import { renderAction } from './render';

/** Where one side of the comparison comes from. */
export type SideSpec = { git: string } | { dir: string; label: string } | { worktree: true };

export interface DiffRequest {
  /** The app directory (as typed); git revisions are read from the repository holding it. */
  dir: string;
  base: SideSpec;
  head: SideSpec;
  inputs: Inputs;
  /** For the git CLI only (PATH, HOME, GIT_*); never read while rendering. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface DiffProblem {
  /** Which side, or neither when the request itself failed (no repository, unknown revision). */
  side?: 'base' | 'head';
  label?: string;
  diagnostics: Diagnostic[];
  sources: Map<string, Source>;
}

export type DiffResult = { ok: true; report: DiffReport; differs: boolean; warnings: DiffProblem[] } | { ok: false; problems: DiffProblem[] };

interface Rendered {
  info: SideInfo;
  objects: K8sObject[];
  model?: AppModel;
}

const fail = (code: string, message: string, hint?: string): DiffResult => ({ ok: false, problems: [{ diagnostics: [error(code, message, undefined, hint)], sources: new Map() }] });

/**
 * Renders both sides in memory and compares them: the working tree through the
 * filesystem, revisions through `git ls-tree`/`cat-file`; nothing is written to
 * the repository. A side without habitat.yaml is an app that does not exist
 * there (everything added, or everything pruned).
 */
export function diffAction(req: DiffRequest): DiffResult {
  let repo: GitRepo | undefined;
  if ('git' in req.base || 'git' in req.head) {
    const found = findRepo(req.dir, req.env);
    if (!found.ok) return fail('diff-not-a-repository', found.problem, 'compare two directories with --base-dir PATH');
    repo = found.value;
  }
  const sides: { side: 'base' | 'head'; fs: RepoFs; info: SideInfo }[] = [];
  for (const side of ['base', 'head'] as const) {
    const spec = req[side];
    if ('git' in spec) {
      const commit = resolveCommit(repo!, spec.git, req.env);
      if (!commit.ok) return fail('diff-unknown-revision', commit.problem, 'name a commit, branch or tag (git rev-parse must know it)');
      const fs = treeFs(repo!, commit.value, spec.git, req.env, repo!.prefix ? basename(repo!.prefix) : basename(repo!.top));
      if (!fs.ok) return fail('diff-git-failed', `reading ${spec.git}: ${fs.problem}`);
      sides.push({ side, fs: fs.value, info: { label: spec.git, commit: commit.value } });
    } else if ('dir' in spec) sides.push({ side, fs: nodeFs(spec.dir), info: { label: spec.label } });
    else sides.push({ side, fs: nodeFs(req.dir), info: { label: 'working tree' } });
  }

  const problems: DiffProblem[] = [];
  const warnings: DiffProblem[] = [];
  const rendered: Rendered[] = [];
  for (const s of sides) {
    const r = renderAction(s.fs, req.inputs);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length === 1 && errors[0]!.code === 'app-file-missing') {
      rendered.push({ info: { ...s.info, absent: true }, objects: [] });
      continue;
    }
    if (hasErrors(r.diagnostics)) problems.push({ side: s.side, label: s.info.label, diagnostics: r.diagnostics, sources: r.sources });
    else {
      if (r.diagnostics.length) warnings.push({ side: s.side, label: s.info.label, diagnostics: r.diagnostics, sources: r.sources });
      rendered.push({ info: s.info, objects: r.objects, ...(r.model ? { model: r.model } : {}) });
    }
  }
  if (problems.length) return { ok: false, problems };
  const [base, head] = rendered as [Rendered, Rendered];
  if (base.info.absent && head.info.absent) return fail('app-file-missing', `no habitat.yaml in ${req.dir} on either side`, 'point diff at the directory that holds habitat.yaml');

  const pairs = diffObjects(base.objects, head.objects);
  const impact = assessImpact(pairs, { ...(base.model ? { before: base.model } : {}), ...(head.model ? { after: head.model } : {}) });
  const counts: Record<ChangeStatus, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const p of pairs) counts[p.status]++;
  const report: DiffReport = {
    app: head.model?.name ?? base.model?.name ?? '',
    base: base.info,
    head: head.info,
    impact,
    objects: pairs.map((p) => p.entry),
    counts,
  };
  return { ok: true, report, differs: counts.added + counts.removed + counts.changed > 0, warnings };
}
