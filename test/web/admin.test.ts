// Administration and account forms (web/src/lib/admin.ts): audit filters as the API expects them,
// date-time display, and the user-name and password rules of the server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  auditQuery,
  auditFilterProblem,
  nextDay,
  formatDateTime,
  detailsText,
  passwordProblem,
  userNameProblem,
  departmentKeyProblem,
  newUserProblems,
  newUserBody,
} from '../../web/src/lib/admin.ts';
import { passwordProblem as serverPasswordProblem } from '../../src/core/passwords.ts';

describe('audit filter', () => {
  it('the "to" date is inclusive in the form and exclusive in the API', () => {
    assert.equal(nextDay('2024-12-31'), '2025-01-01');
    assert.equal(nextDay('2024-02-28'), '2024-02-29');
    assert.equal(
      auditQuery({ from: '2024-06-01', to: '2024-06-30', actor: ' Admin ', action: 'login' }),
      '?from=2024-06-01&to=2024-07-01&actor=admin&action=login',
    );
    assert.equal(auditQuery({}), '');
    assert.equal(auditQuery({ from: '1.6.2024', to: '' }), '', 'invalid dates are left out');
  });
  it('the CSV export carries the same filter', () => {
    assert.equal(
      auditQuery({ action: 'index.save' }, { format: 'csv', limit: 100000 }),
      '?action=index.save&limit=100000&format=csv',
    );
  });
  it('a reversed range is named', () => {
    assert.equal(auditFilterProblem({ from: '2024-07-01', to: '2024-06-30' }), 'range');
    assert.equal(auditFilterProblem({ from: '2024-06-30', to: '2024-06-30' }), null);
    assert.equal(auditFilterProblem({ from: '2024-06-30' }), null);
  });
});

describe('date and time', () => {
  it('server timestamps in local German or English form', () => {
    assert.equal(formatDateTime('2024-06-30T14:05:09.123Z', 'de', 'Europe/Berlin'), '30.06.2024, 16:05:09');
    assert.equal(formatDateTime('2024-12-31T23:30:00Z', 'de', 'Europe/Berlin'), '01.01.2025, 00:30:00');
    assert.equal(formatDateTime('2024-06-30T14:05:09Z', 'en', 'UTC'), '30/06/2024, 14:05:09');
    assert.equal(
      formatDateTime('2026-11-25 16:51:51.01+00', 'de', 'UTC'),
      '25.11.2026, 16:51:51',
      'PostgreSQL text form',
    );
    assert.equal(formatDateTime(null), '');
    assert.equal(formatDateTime('gestern'), 'gestern');
  });
  it('audit details in one line, long lists cut', () => {
    assert.equal(detailsText({ period: '2024-12-31', version: 1, empty: null }), 'period=2024-12-31; version=1');
    assert.equal(detailsText({ indicators: ['a', 'b', 'c'] }, 2), 'indicators=a, b … (+1)');
    assert.equal(detailsText({ o: { x: 1 } }), 'o={"x":1}');
    assert.equal(detailsText(null), '');
  });
});

describe('users and passwords', () => {
  it('password rules are the server’s', () => {
    for (const [pw, name] of [
      ['kurz', 'anna'],
      ['lang-genug-aber-anna', 'anna'],
      ['Sommer-Regen-2024', 'anna'],
      ['x'.repeat(1025), undefined],
    ] as const) {
      const mine = passwordProblem(pw, null, name);
      const server = serverPasswordProblem(pw, name);
      assert.equal(mine === null, server === null, `${pw.slice(0, 20)}: ${mine} / ${server}`);
    }
    assert.equal(passwordProblem('Sommer-Regen-2024', 'Sommer-Regen-2025'), 'mismatch');
    assert.equal(passwordProblem('kurz', 'kurz'), 'short', 'length before repetition');
    assert.equal(passwordProblem('Sommer-ANNA-2024!', null, 'anna'), 'containsName');
  });
  it('user names and department keys', () => {
    assert.equal(userNameProblem('m.mueller'), null);
    assert.equal(userNameProblem('M.Müller'), 'invalid');
    assert.equal(userNameProblem('a'), 'invalid');
    assert.equal(departmentKeyProblem('jugend_amt'), null);
    assert.equal(departmentKeyProblem('1jugend'), 'invalid');
  });
  it('the create-user form', () => {
    const u = {
      name: 'steward1',
      displayName: '  ',
      role: 'steward' as const,
      department: '',
      password: 'Herbst-Nebel-2024',
    };
    assert.deepEqual(newUserProblems(u), { department: 'required' });
    assert.deepEqual(newUserProblems({ ...u, department: 'jugend', name: 'X' }), { name: 'invalid' });
    assert.deepEqual(newUserBody({ ...u, department: 'jugend', name: ' Steward1 ' }), {
      name: 'steward1',
      role: 'steward',
      password: 'Herbst-Nebel-2024',
      department: 'jugend',
    });
  });
});
