import { z } from 'zod';
import { acknowledgeBodySchema, acknowledgementSchema, statementToSignSchema } from '@/lib/deployments/acknowledgement-view';
import { deploymentKeySchema, registerDeploymentKeySchema } from '@/lib/deployments/deployment-keys';
import { operation, read, write } from './define-operation';

/** The partner API's deployment operations: the statement to sign, the signed acknowledgement, and the keys that sign it (operations.ts lists them). */
export const getDeploymentStatement = operation({
  id: 'getDeploymentStatement',
  method: 'get',
  path: '/models/{modelId}/versions/{version}/deployment',
  tag: 'Models',
  summary: 'The statement to sign when this version is in production',
  description:
    'An in-toto statement (predicate `https://forgetme.dev/attestations/model-deployment/v1`) naming the version, its weights digest and ' +
    'the certificates this deployment puts into production (those of removals the version contains that no earlier acknowledgement named). ' +
    'Sign `pae` (the DSSE pre-authentication encoding of `payload`) with your Ed25519 deployment key and send the envelope to the POST; ' +
    '`forgetme partner acknowledge` does both. Also lists the acknowledgements of this version so far.',
  auth: read('models:read'),
  response: { status: 200, schema: statementToSignSchema, description: 'The statement, its DSSE payload and PAE (base64), and the acknowledgements so far.' },
});
export const acknowledgeDeployment = operation({
  id: 'acknowledgeDeployment',
  method: 'post',
  path: '/models/{modelId}/versions/{version}/deployment',
  tag: 'Models',
  summary: 'Acknowledge, signed, that a version is deployed',
  description:
    'The DSSE envelope of the statement from the GET, signed by a deployment key your organisation registered. Refused: no signature or ' +
    'one that does not verify (`signature_invalid`), a statement about another organisation, model, version or weights (`validation_failed`), ' +
    'a version older than one already acknowledged, or a certificate this version does not put into production (`conflict`). ' +
    'The same statement twice is recorded once. The certificates it names then show "deployed by the partner, signed", and ' +
    '`certificate.deployment_acknowledged` is sent.',
  auth: write('models:write'),
  body: acknowledgeBodySchema,
  maxBodyBytes: 12 * 1024 * 1024,
  response: { status: 200, schema: z.object({ acknowledgement: acknowledgementSchema }), description: 'The recorded acknowledgement.' },
});

const DEPLOYMENT_KEY_ADMINS = { roles: ['partner_admin'], scopes: ['deployment-keys:write'] } as const;

export const listDeploymentKeys = operation({
  id: 'listDeploymentKeys',
  method: 'get',
  path: '/deployment-keys',
  tag: 'Models',
  summary: 'Your deployment signing keys',
  description: 'Ed25519 public keys that sign deployment acknowledgements, newest first, revoked ones included.',
  auth: read('models:read'),
  response: { status: 200, schema: z.object({ data: z.array(deploymentKeySchema) }), description: 'The keys.' },
});
export const registerDeploymentKey = operation({
  id: 'registerDeploymentKey',
  method: 'post',
  path: '/deployment-keys',
  tag: 'Models',
  summary: 'Register a deployment signing key',
  description:
    'The public half of an Ed25519 key (`openssl genpkey -algorithm ed25519 -out key.pem; openssl pkey -in key.pem -pubout`), as PEM or JWK. ' +
    'A private key is refused and not kept. Its RFC 7638 thumbprint is the `keyid` to sign under.',
  auth: DEPLOYMENT_KEY_ADMINS,
  body: registerDeploymentKeySchema,
  response: { status: 201, schema: z.object({ key: deploymentKeySchema }), description: 'The registered key.' },
});
export const revokeDeploymentKey = operation({
  id: 'revokeDeploymentKey',
  method: 'delete',
  path: '/deployment-keys/{keyId}',
  tag: 'Models',
  summary: 'Revoke a deployment signing key',
  description: 'It signs no new acknowledgement; acknowledgements it signed before stay valid.',
  auth: DEPLOYMENT_KEY_ADMINS,
  response: { status: 200, schema: z.object({ key: deploymentKeySchema }), description: 'The revoked key.' },
});
