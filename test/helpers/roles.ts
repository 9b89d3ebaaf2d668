// The callers of the authorisation matrices: one user per role and department, anonymous, and what
// each may read at each confidentiality level; the two districts and the departments they work on.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importAreas } from '../../src/services/areas.ts';
import { addDepartment, addUser } from '../../src/services/users.ts';
import { square, featureCollection, type tempDir } from './files.ts';

export const PASSWORD = 'correct horse battery staple';
export const USERS = {
  admin: { role: 'admin', department: null },
  steward_jugend: { role: 'steward', department: 'jugend' },
  steward_soziales: { role: 'steward', department: 'soziales' },
  analyst: { role: 'analyst', department: 'statistik' },
  viewer: { role: 'viewer', department: null },
  viewer_jugend: { role: 'viewer', department: 'jugend' },
} as const;
export type Who = 'anonymous' | keyof typeof USERS;
export const WHO: Who[] = ['anonymous', ...(Object.keys(USERS) as (keyof typeof USERS)[])];

/** Expected answer for reading something public, internal or restricted to "jugend": 200, 401 (internal, not signed in) or 404 (existence secret). */
export const EXPECTED_BY_LEVEL: Record<'pub' | 'int' | 'res', Record<Who, number>> = {
  pub: {
    anonymous: 200,
    admin: 200,
    steward_jugend: 200,
    steward_soziales: 200,
    analyst: 200,
    viewer: 200,
    viewer_jugend: 200,
  },
  int: {
    anonymous: 401,
    admin: 200,
    steward_jugend: 200,
    steward_soziales: 200,
    analyst: 200,
    viewer: 200,
    viewer_jugend: 200,
  },
  res: {
    anonymous: 404,
    admin: 404,
    steward_jugend: 200,
    steward_soziales: 404,
    analyst: 404,
    viewer: 404,
    viewer_jugend: 200,
  },
};

/** The layer "bezirk" with Nord (01) and Süd (02), and the departments statistik, jugend and soziales. */
export async function addDistrictsAndDepartments(db: Database, tmp: ReturnType<typeof tempDir>): Promise<void> {
  await importAreas(
    db,
    tmp.file(
      'a.geojson',
      featureCollection([
        { code: '01', name: 'Nord', geometry: square(8, 50, 0.1) },
        { code: '02', name: 'Süd', geometry: square(8.1, 50, 0.1) },
      ]),
    ),
    { layer: 'bezirk' },
  );
  for (const [k, n] of [
    ['statistik', 'Statistikstelle'],
    ['jugend', 'Jugendamt'],
    ['soziales', 'Soziales'],
  ])
    await addDepartment(db, SYSTEM, k, n);
}

export async function addUsers(db: Database): Promise<void> {
  for (const [name, u] of Object.entries(USERS))
    await addUser(db, SYSTEM, { name, role: u.role, department: u.department, password: PASSWORD });
}

/** Signs every user in: their cookie headers (anonymous: none) and CSRF tokens. */
export async function signInAll(
  app: FastifyInstance,
): Promise<{ headers: Record<string, Record<string, string>>; csrf: Record<string, string> }> {
  const headers: Record<string, Record<string, string>> = { anonymous: {} };
  const csrf: Record<string, string> = {};
  for (const name of Object.keys(USERS)) {
    const r = await app.inject({ url: '/api/auth/login', method: 'POST', payload: { user: name, password: PASSWORD } });
    assert.equal(r.statusCode, 200, r.body);
    headers[name] = { cookie: String(r.headers['set-cookie']).split(';')[0] };
    csrf[name] = r.json().csrfToken;
  }
  return { headers, csrf };
}
