import type { Port } from '../model/types';
import type { AppGraph, GraphBind, GraphGroup, GraphService, GraphWorkload, JoinedRing } from './appGraph';

/**
 * The words on the drawing, shared by every output format so Mermaid and DOT
 * say the same thing. Each label is a list of lines; a format joins them its own
 * way. ASCII only: Graphviz sizes nodes from built-in metrics that know no other
 * characters when no fonts are installed (its WebAssembly build, most servers).
 */

export function titleText(g: AppGraph): string {
  return `app ${g.app}${g.namespace !== undefined ? `, namespace ${g.namespace}` : ''}`;
}

export function ringTitle(g: AppGraph): string {
  return `gossip ring ${g.ring.service}, ${g.ring.encrypted ? `encrypted (SealedSecret ${g.ring.keySecret})` : 'not encrypted'}`;
}

export function workloadLines(w: GraphWorkload): string[] {
  return [w.name, `${w.service}.${w.group}`, `${w.topology}, count ${w.count}`];
}

export function portText(p: Port): string {
  return `${p.name} ${p.port}${p.targetPort !== p.port ? ` -> ${p.targetPort}` : ''}/${p.protocol}`;
}

export function serviceLines(s: GraphService): string[] {
  return [`Service ${s.name}`, ...s.ports.map(portText)];
}

export function joinedTitle(j: JoinedRing): string {
  return `app ${j.app}${j.namespace !== undefined ? `, namespace ${j.namespace}` : ''}, shared ring (Service ${j.ringService})`;
}

export function joinedGroupLines(g: GraphGroup): string[] {
  return [`${g.service}.${g.group}`];
}

export function bindLabel(b: GraphBind): string {
  return b.mode === 'relaxed' ? `${b.name} (relaxed)` : b.name;
}
