import { error, type Diagnostic } from '../diag/diagnostic';
import { resolveWorkloadValues } from '../load/argoEnv';
import type { Inputs, WorkloadValues } from '../load/inputs';
import { IMAGE_PATTERN } from '../schema/habitatSchema';
import { setOwn } from './deepMerge';
import type { RawApp, RawService } from './raw';

const IMAGE_RE = new RegExp(IMAGE_PATTERN);
const byKey = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The `images` and `counts` parameters override the (overlaid) workloads;
 * unknown workloads and bad values are errors. Returns a new app; the input is
 * not changed.
 */
export function applyParameters(app: RawApp, inputs: Pick<Inputs, 'images' | 'counts'>): { app: RawApp; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const names = Object.keys(app.services).sort();
  const services: Record<string, RawService> = { ...app.services };
  const apply = (param: 'images' | 'counts', values: WorkloadValues | undefined) => {
    if (!values) return;
    const { resolved, unknown } = resolveWorkloadValues(values, names);
    for (const u of unknown) out.push(error('param-workload-unknown', `PARAM_${param.toUpperCase()}_${u} names no workload of this app`, undefined, `known workloads: ${names.join(', ')}`));
    for (const [w, v] of [...resolved].sort(byKey)) {
      const s = Object.prototype.hasOwnProperty.call(services, w) ? services[w] : undefined;
      if (!s) {
        out.push(error('param-workload-unknown', `parameter ${param} names workload "${w}", which does not exist`, undefined, `known workloads: ${names.join(', ')}`));
        continue;
      }
      if (param === 'images') {
        if (!IMAGE_RE.test(v)) out.push(error('param-image-invalid', `parameter images.${w} is not a valid image reference`, undefined, 'use [registry/]name[:tag][@sha256:digest]'));
        else setOwn(services, w, { ...s, image: v });
      } else if (!/^[0-9]{1,4}$/.test(v) || Number(v) > 1000) {
        out.push(error('param-count-invalid', `parameter counts.${w} must be an integer from 0 to 1000, not "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`));
      } else setOwn(services, w, { ...s, count: Number(v) });
    }
  };
  apply('images', inputs.images);
  apply('counts', inputs.counts);
  return { app: { ...app, services }, diagnostics: out };
}
