import { error } from '../diag/diagnostic';
import { objectNames } from '../model/identity';
import { sealValue } from '../seal/hybridEncrypt';
import { newRingKey } from '../seal/ringKey';
import { RING_NAME } from '../seal/ringName';
import { scopeLabel } from '../seal/scopeLabel';
import { sealedFor, sealingContext, writeSealedValue, type ActionIO, type ActionResult, type SealingOptions } from './sealingContext';

export interface RingKeyRequest extends SealingOptions {
  /** The ring name (--name); it is also the app name when metadata.name is absent, as in render. */
  ring?: string;
}

/**
 * `ring-key`: a new SYM-SEC-1 ring key, sealed for `<app>-ring-key` of the
 * app's identity in the selected environment, written to ring.sealedKey (or
 * environments.<E>.ring.sealedKey). Prints the ring and revision, never the key.
 */
export async function ringKeyAction(req: RingKeyRequest, io: ActionIO): Promise<ActionResult> {
  const { fs, now } = io;
  const loaded = sealingContext(fs, io.files, { ...req, ...(req.ring !== undefined ? { appName: req.ring } : {}) }, now, (ctx) => {
    const ring = req.ring ?? ctx.identity.name;
    return RING_NAME.test(ring) ? [] : [error('ring-name-invalid', `the app name "${ring}" is not a valid ring name (letters, digits, "_" and "-")`, undefined, 'pass --name RING')];
  });
  const fail = (diagnostics: ActionResult['diagnostics']): ActionResult => ({ exit: 1, stdout: '', diagnostics, sources: loaded.sources });
  if (!loaded.ctx || loaded.diagnostics.length) return fail(loaded.diagnostics);
  const ctx = loaded.ctx;
  const ring = req.ring ?? ctx.identity.name;

  const key = newRingKey(ring, now);
  const secretName = objectNames.ringKeySecret(ctx.identity.name);
  const sealed = sealValue(ctx.publicKey, Buffer.from(key.content, 'utf8'), scopeLabel(ctx.identity.scope, { ...ctx.identity, name: secretName }));
  // Replacing: the place written to (the base, or the overlay) already held a key.
  const at = req.environment === undefined ? ctx.base : ctx.base.environments?.[req.environment];
  const replacing = (at?.ring as { sealedKey?: string } | undefined)?.sealedKey !== undefined;
  // The documented order of habitat.yaml: metadata, ring, sealing, services, environments.
  const written = writeSealedValue(fs, ctx, ['ring', 'sealedKey'], sealed, 'ring-key-edit-failed', 'set ring.sealedKey by hand', ['sealing', 'services', 'environments']);
  if (written.length) return fail(written);
  const where = [...ctx.prefix, 'ring', 'sealedKey'].join('.');
  return {
    exit: 0,
    stdout:
      `ring ${ring}, revision ${key.revision} (${key.namedRevision})\n` +
      `${replacing ? 'replaced' : 'wrote'} ${where} in ${ctx.source.file} for SealedSecret ${sealedFor(ctx.identity, secretName)} (${ctx.identity.scope} scope)\n` +
      (replacing ? 'the pods roll to the new key on the next sync; all Supervisors of the ring switch together\n' : ''),
    diagnostics: [],
    sources: loaded.sources,
  };
}
