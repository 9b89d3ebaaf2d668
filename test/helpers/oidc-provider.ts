// A small OpenID Connect provider run by a test itself: discovery, JWKS, authorize (signs in
// `nextUser` at once) and token with a signed ID token; PKCE is checked. `clientId` is the
// audience of its ID tokens.
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, exportJWK, SignJWT } from 'jose';

interface Grant {
  user: string;
  nonce: string;
  challenge: string;
}

export async function fakeProvider(
  clientId = 'kommunalmonitor',
): Promise<{ url: string; server: Server; nextUser: { name: string } }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, Grant>();
  const nextUser = { name: 'a.schmidt' };
  let base = '';
  const server = createServer(async (req, res) => {
    const u = new URL(req.url!, base);
    const json = (o: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(o));
    };
    if (u.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer: base,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      });
    }
    if (u.pathname === '/jwks') return json({ keys: [jwk] });
    if (u.pathname === '/authorize') {
      const code = randomBytes(12).toString('hex');
      codes.set(code, {
        user: nextUser.name,
        nonce: u.searchParams.get('nonce')!,
        challenge: u.searchParams.get('code_challenge')!,
      });
      res.statusCode = 302;
      res.setHeader(
        'location',
        `${u.searchParams.get('redirect_uri')}?code=${code}&state=${u.searchParams.get('state')}&iss=${encodeURIComponent(base)}`,
      );
      return res.end();
    }
    if (u.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (!grant || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        res.statusCode = 400;
        return json({ error: 'invalid_grant' });
      }
      codes.delete(form.get('code')!);
      const idToken = await new SignJWT({ nonce: grant.nonce, preferred_username: grant.user })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(base)
        .setAudience(clientId)
        .setSubject(`sub-${grant.user}`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      return json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, server, nextUser };
}
