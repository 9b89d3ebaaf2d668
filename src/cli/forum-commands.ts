// `kommunalmonitor forum …`: the neighbourhood youth forum from the command line — forums,
// meetings, topics, moderation, answers, support-code batches, accountability and imports from
// participation platforms. Thin: services/forum.ts and services/forum-import.ts work.
import type { Command } from 'commander';
import type { Database } from '../store/db.ts';
import { SYSTEM } from '../core/access.ts';
import { ANSWER_LABELS, type AnswerStatus, type RaisedBy } from '../core/forum.ts';
import { table } from './table-output.ts';

export interface ForumCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  err: (s: string) => void;
  json: () => boolean;
}

const germanDate = (iso: string | null) => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '');
const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(0)} %`);
const id = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`"${v}" is not a topic number`);
  return n;
};

export function registerForumCommands(program: Command, ctx: ForumCommandContext): void {
  const { withDb, out, err, json } = ctx;
  const print = (v: unknown) => out(JSON.stringify(v, null, 2) + '\n');
  const group = program
    .command('forum')
    .description(
      'neighbourhood youth forum (Forum junges Stadtteilleben): topics, support codes, moderation, binding answers',
    );

  group
    .command('create')
    .argument('<key>', 'forum key, e.g. nordstadt')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--layer <layer>', 'layer of the area, e.g. stadtteil')
    .requiredOption('--area <code>', 'area code')
    .requiredOption('--department <key>', 'the department running the forum (moderates, makes codes)')
    .action(async (key: string, o: { name: string; layer: string; area: string; department: string }) => {
      const { createForum } = await import('../services/forum.ts');
      const f = await withDb((db) => createForum(db, SYSTEM, { key, ...o }));
      out(`forum ${f.key} for ${f.layer} ${f.areaCode} (${f.department})\n`);
    });

  group
    .command('list')
    .description('the forums')
    .action(async () => {
      const { listForums } = await import('../services/forum.ts');
      const rows = await withDb((db) => listForums(db));
      if (json()) print(rows);
      else
        out(
          table(
            ['key', 'name', 'area', 'topics'],
            rows.map((f) => [f.key, f.name, `${f.area} ${f.areaName ?? ''}`.trim(), String(f.topics)]),
          ),
        );
    });

  group
    .command('topics')
    .option('--forum <key>', 'only this forum')
    .option('--department <key>', 'only topics of this department')
    .option('--moderation <states>', 'pending, published, rejected, merged (comma-separated)')
    .description('topics with supports, answer status and due date')
    .action(async (o: { forum?: string; department?: string; moderation?: string }) => {
      const { staffTopics } = await import('../services/forum.ts');
      const rows = await withDb((db) => staffTopics(db, SYSTEM, o));
      if (json()) print(rows);
      else
        out(
          table(
            ['id', 'forum', 'title', 'state', 'department', 'supports', 'answer', 'due', 'overdue'],
            rows.map((t) => [
              String(t.id),
              t.forumKey,
              t.title,
              t.moderation,
              t.department ?? '',
              String(t.supports),
              t.answerStatus ? ANSWER_LABELS[t.answerStatus] : '',
              germanDate(t.answerDue),
              t.overdue ? 'überfällig' : '',
            ]),
          ),
        );
    });

  group
    .command('show')
    .argument('<id>', 'topic number')
    .description('one topic with every answer (JSON)')
    .action(async (v: string) => {
      const { staffTopic } = await import('../services/forum.ts');
      print(await withDb((db) => staffTopic(db, SYSTEM, id(v))));
    });

  group
    .command('record')
    .requiredOption('--forum <key>', 'the forum')
    .requiredOption('--title <text>', 'title')
    .option('--description <text>', 'description in plain language', '')
    .requiredOption('--raised-by <kind>', 'forum, school_class, youth_centre or other')
    .option('--label <text>', 'which group raised it (e.g. "Klasse 8b"), never a child’s name', '')
    .requiredOption('--raised-on <date>', 'when it was raised (YYYY-MM-DD)')
    .option('--area <code>', 'area (default: the forum’s)')
    .option('--field <code>', 'field of action, e.g. jugend')
    .option('--department <key>', 'the responsible department')
    .option('--due <date>', 'answer due (default: three months)')
    .description('record a topic raised offline (published at once)')
    .action(
      async (o: {
        forum: string;
        title: string;
        description: string;
        raisedBy: RaisedBy;
        label: string;
        raisedOn: string;
        area?: string;
        field?: string;
        department?: string;
        due?: string;
      }) => {
        const { recordTopic } = await import('../services/forum.ts');
        const r = await withDb((db) => recordTopic(db, SYSTEM, { ...o, raisedByLabel: o.label }));
        out(`topic ${r.id}\n`);
      },
    );

  group
    .command('queue')
    .option('--forum <key>', 'only this forum')
    .description('the moderation queue')
    .action(async (o: { forum?: string }) => {
      const { moderationQueue } = await import('../services/forum.ts');
      const rows = await withDb((db) => moderationQueue(db, SYSTEM, o.forum));
      if (json()) print(rows);
      else
        out(
          table(
            ['id', 'forum', 'proposed', 'title', 'description'],
            rows.map((t) => [String(t.id), t.forumKey, germanDate(t.raisedOn), t.title, t.description.slice(0, 60)]),
          ),
        );
    });

  group
    .command('moderate')
    .argument('<id>', 'topic number')
    .argument('<decision>', 'publish or reject')
    .option('--note <text>', 'a note (internal)')
    .option('--department <key>', 'publish and assign to this department')
    .option('--due <date>', 'answer due (default: three months)')
    .action(
      async (v: string, decision: 'publish' | 'reject', o: { note?: string; department?: string; due?: string }) => {
        const { moderateTopic } = await import('../services/forum.ts');
        const t = await withDb((db) => moderateTopic(db, SYSTEM, id(v), { decision, ...o }));
        out(`topic ${t.id}: ${t.moderation}${t.answerDue ? `, answer due ${germanDate(t.answerDue)}` : ''}\n`);
      },
    );

  group
    .command('merge')
    .argument('<id>', 'the duplicate')
    .requiredOption('--into <id>', 'the topic it duplicates')
    .action(async (v: string, o: { into: string }) => {
      const { mergeTopics } = await import('../services/forum.ts');
      const r = await withDb((db) => mergeTopics(db, SYSTEM, id(v), id(o.into)));
      out(`topic ${v} merged into ${r.into}: ${r.moved} support(s) moved, ${r.supports} in all\n`);
    });

  group
    .command('assign')
    .argument('<id>', 'topic number')
    .requiredOption('--department <key>', 'the responsible department')
    .option('--due <date>', 'answer due')
    .action(async (v: string, o: { department: string; due?: string }) => {
      const { assignTopic } = await import('../services/forum.ts');
      const t = await withDb((db) => assignTopic(db, SYSTEM, id(v), o.department, o.due));
      out(`topic ${t.id}: ${t.department}, answer due ${germanDate(t.answerDue)}\n`);
    });

  group
    .command('answer')
    .argument('<id>', 'topic number')
    .requiredOption('--status <status>', 'in_pruefung, wird_umgesetzt, umgesetzt or abgelehnt')
    .requiredOption('--text <text>', 'the answer in plain language')
    .option('--reasons <text>', 'the reasons (required with abgelehnt)')
    .option('--due <date>', 'with in_pruefung: when the decision comes')
    .description('the binding answer of the responsible department')
    .action(async (v: string, o: { status: AnswerStatus; text: string; reasons?: string; due?: string }) => {
      const { answerTopic } = await import('../services/forum.ts');
      const t = await withDb((db) => answerTopic(db, SYSTEM, id(v), o));
      out(`topic ${t.id}: ${ANSWER_LABELS[t.answerStatus!]}\n`);
    });

  const many = (v: string, prev: string[] = []) => [...prev, v];
  group
    .command('link')
    .argument('<id>', 'topic number')
    .option('--measure <key>', 'a measure of the registry (repeatable)', many)
    .option('--indicator <key>', 'an indicator (repeatable)', many)
    .option(
      '--report <key[#block]>',
      'a report, or one block of it as REPORT#BLOCK (the block’s key; repeatable)',
      many,
    )
    .description(
      'link a topic to measures, indicators, reports and report blocks (replaces its links; none given: removes them)',
    )
    .action(async (v: string, o: { measure?: string[]; indicator?: string[]; report?: string[] }) => {
      const { linkTopic } = await import('../services/forum.ts');
      const reportLink = (r: string) => {
        const at = r.indexOf('#');
        return at < 0
          ? { kind: 'report' as const, ref: r }
          : { kind: 'report' as const, ref: r.slice(0, at), block: r.slice(at + 1) };
      };
      const links = [
        ...(o.measure ?? []).map((ref) => ({ kind: 'measure' as const, ref })),
        ...(o.indicator ?? []).map((ref) => ({ kind: 'indicator' as const, ref })),
        ...(o.report ?? []).map(reportLink),
      ];
      const t = await withDb((db) => linkTopic(db, SYSTEM, id(v), links));
      out(
        `topic ${t.id}: ${t.links.map((l) => `${l.kind} ${l.ref}${l.block ? `#${l.block}` : ''}`).join(', ') || 'no links'}\n`,
      );
    });

  group
    .command('delete')
    .argument('<id>', 'topic number')
    .description('delete a topic on request, with its supports and answers')
    .action(async (v: string) => {
      const { deleteTopic } = await import('../services/forum.ts');
      await withDb((db) => deleteTopic(db, SYSTEM, id(v)));
      out(`topic ${v} deleted\n`);
    });

  group
    .command('photo')
    .argument('<id>', 'topic number')
    .argument('<file>', 'a JPEG or PNG photo (of a poster), at most 5 MB')
    .option('--title <text>', 'a caption', '')
    .option('--approve', 'show it publicly at once')
    .description('add a photo to a topic: EXIF, XMP, IPTC and PNG text chunks are removed before storing')
    .action(async (v: string, file: string, o: { title: string; approve?: boolean }) => {
      const { readFile } = await import('node:fs/promises');
      const { addAttachment, approveAttachment } = await import('../services/forum.ts');
      const bytes = new Uint8Array(await readFile(file));
      const a = await withDb(async (db) => {
        const row = await addAttachment(db, SYSTEM, id(v), { title: o.title, bytes });
        return o.approve ? approveAttachment(db, SYSTEM, row.id, true) : row;
      });
      if (json()) return print(a);
      out(
        `photo ${a.id} (${a.contentType}, ${a.size} bytes after stripping metadata) added to topic ${v}${a.approved ? ', public' : ', waiting for approval'}\n`,
      );
    });

  group
    .command('atlas')
    .description(
      'recompute the topics per area and per 1,000 young residents (after a population import), or choose who counts as young',
    )
    .option('--population <indicator>', 'the population indicator that counts as young (default einwohner_unter21)')
    .option('--filter <dim=member...>', 'a breakdown of that indicator, e.g. altersgruppe=15_18')
    .action(async (o: { population?: string; filter?: string[] }) => {
      const { refreshForumAtlasNow, setYoungPopulation } = await import('../services/forum-atlas.ts');
      const filter = Object.fromEntries((o.filter ?? []).map((f) => f.split('=', 2) as [string, string]));
      const r = await withDb((db) =>
        o.population
          ? setYoungPopulation(db, SYSTEM, { indicator: o.population, filter })
          : refreshForumAtlasNow(db, SYSTEM),
      );
      if (json()) return print(r);
      out(r.periods.length ? `recomputed: ${r.periods.join(', ')}\n` : 'nothing changed\n');
    });

  group
    .command('meeting')
    .requiredOption('--forum <key>', 'the forum')
    .requiredOption('--held-on <date>', 'date of the meeting')
    .requiredOption('--participants <n>', 'how many took part')
    .option('--place <text>', 'where', '')
    .option(
      '--age <band=n>',
      'participants of an age band (unter_12, 12_14, 15_17, 18_27), repeatable',
      (v: string, prev: Record<string, number> = {}) => {
        const [k, n] = v.split('=');
        return { ...prev, [k]: Number(n) };
      },
    )
    .description('record a meeting of a forum')
    .action(
      async (o: {
        forum: string;
        heldOn: string;
        participants: string;
        place: string;
        age?: Record<string, number>;
      }) => {
        const { recordMeeting } = await import('../services/forum.ts');
        const r = await withDb((db) =>
          recordMeeting(db, SYSTEM, o.forum, {
            heldOn: o.heldOn,
            participants: Number(o.participants),
            place: o.place,
            ageBands: o.age ?? {},
          }),
        );
        out(`meeting ${r.id}\n`);
      },
    );

  const codes = group.command('codes').description('one-time support codes, in batches per forum');
  codes
    .command('generate')
    .requiredOption('--forum <key>', 'the forum')
    .requiredOption('--count <n>', 'how many codes (1 to 10,000)')
    .option('--label <text>', 'where the batch goes, e.g. "Gesamtschule Nord, 8. Klassen"', '')
    .description(
      'make a batch and print its codes, one a line — this is the only time they are shown (only hashes are stored)',
    )
    .action(async (o: { forum: string; count: string; label: string }) => {
      const { generateCodes } = await import('../services/forum.ts');
      const b = await withDb((db) => generateCodes(db, SYSTEM, o.forum, Number(o.count), o.label));
      if (json()) print(b);
      else {
        out(b.codes.join('\n') + '\n');
        err(
          `batch ${b.batchId} of forum ${b.forum}: ${b.codes.length} code(s). Print or hand them out now; they cannot be shown again.\n`,
        );
      }
    });
  codes
    .command('list')
    .requiredOption('--forum <key>', 'the forum')
    .action(async (o: { forum: string }) => {
      const { codeBatches } = await import('../services/forum.ts');
      const rows = await withDb((db) => codeBatches(db, SYSTEM, o.forum));
      if (json()) print(rows);
      else
        out(
          table(
            ['batch', 'label', 'codes', 'used', 'revoked', 'made'],
            rows.map((b) => [
              String(b.id),
              b.label,
              String(b.size),
              String(b.used),
              b.revoked ? 'yes' : '',
              b.createdAt,
            ]),
          ),
        );
    });
  codes
    .command('revoke')
    .requiredOption('--forum <key>', 'the forum')
    .requiredOption('--batch <id>', 'the batch')
    .action(async (o: { forum: string; batch: string }) => {
      const { revokeCodes } = await import('../services/forum.ts');
      await withDb((db) => revokeCodes(db, SYSTEM, o.forum, id(o.batch)));
      out(`batch ${o.batch} revoked\n`);
    });

  group
    .command('accountability')
    .description('share of topics answered within three months, per department and per area')
    .action(async () => {
      const { accountabilityView } = await import('../services/forum.ts');
      const v = await withDb((db) => accountabilityView(db));
      if (json()) return print(v);
      const rows = (list: typeof v.byArea) =>
        list.map((r) => [
          `${r.key} ${r.name ?? ''}`.trim() || '(none yet)',
          String(r.topics),
          String(r.due),
          String(r.inTime),
          percent(r.share),
          String(r.open),
          String(r.overdue),
        ]);
      const head = ['', 'topics', 'due', 'in time', 'share', 'open', 'overdue'];
      out(
        `Per department (${germanDate(v.today)})\n` +
          table(head, rows(v.byDepartment)) +
          '\nPer area\n' +
          table(head, rows(v.byArea)),
      );
    });

  group
    .command('map')
    .argument('<platform>', 'decidim, consul or adhocracy')
    .argument('<source-area>', 'their scope, geozone or district (name or id as it appears in their data)')
    .requiredOption('--forum <key>', 'our forum')
    .option('--area <code>', 'our area (default: the forum’s)')
    .description('map a platform’s scope/geozone/district to one of our forums and areas')
    .action(
      async (platform: 'decidim' | 'consul' | 'adhocracy', sourceArea: string, o: { forum: string; area?: string }) => {
        const { mapSourceArea } = await import('../services/forum-import.ts');
        await withDb((db) => mapSourceArea(db, SYSTEM, { platform, sourceArea, forum: o.forum, area: o.area }));
        out(`${platform} "${sourceArea}" → ${o.forum}${o.area ? ` ${o.area}` : ''}\n`);
      },
    );

  group
    .command('import')
    .argument(
      '[file]',
      'a Decidim proposals CSV export or GraphQL answer (JSON), a CONSUL GraphQL answer, or an adhocracy+ REST answer (or --url)',
    )
    .option('--platform <platform>', 'decidim, consul or adhocracy')
    .option('--from <platform>', 'the same as --platform (reads better with --url)')
    .option(
      '--url <url>',
      'fetch from the platform itself: Decidim …/api, CONSUL …/graphql, adhocracy+ …/api/modules/PK/ideas/ (https; all pages, all or nothing)',
    )
    .option('--space <id>', 'Decidim with --url: the participatory process whose proposal components are read')
    .option('--component <id>', 'Decidim with --url: one proposals component')
    .option('--timeout <seconds>', 'with --url: per request (default 20)')
    .option('--max-bytes <n>', 'with --url: over all pages (default 20000000)')
    .option('--base-url <url>', 'the platform’s address, for the links back to each item')
    .option('--district <name>', 'adhocracy+: the project’s district (ideas carry none)')
    .option('--forum <key>', 'items whose area is not mapped go to this forum (else they are skipped and listed)')
    .option('--dry-run', 'check everything, change nothing')
    .description(
      'import topics from a participation platform, from a file or fetched from its API (re-import refreshes, never duplicates)',
    )
    .action(
      async (
        file: string | undefined,
        o: {
          platform?: string;
          from?: string;
          url?: string;
          space?: string;
          component?: string;
          timeout?: string;
          maxBytes?: string;
          baseUrl?: string;
          district?: string;
          forum?: string;
          dryRun?: boolean;
        },
      ) => {
        const platform = o.platform ?? o.from;
        if (!platform) throw new Error('name the platform: --platform (or --from) decidim, consul or adhocracy');
        if (!file === !o.url) throw new Error('give either a file or --url, not both and not neither');
        const positive = (v: string | undefined, what: string) => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!Number.isFinite(n) || n <= 0) throw new Error(`${what}: a positive number, not "${v}"`);
          return n;
        };
        const { importForumFile, importForumFromUrl } = await import('../services/forum-import.ts');
        const common = { platform, baseUrl: o.baseUrl, district: o.district, forum: o.forum, dryRun: o.dryRun };
        const timeout = positive(o.timeout, '--timeout');
        const r = o.url
          ? await withDb((db) =>
              importForumFromUrl(db, SYSTEM, {
                ...common,
                url: o.url!,
                space: o.space,
                component: o.component,
                timeoutMs: timeout && timeout * 1000,
                maxBytes: positive(o.maxBytes, '--max-bytes'),
              }),
            )
          : await withDb((db) => importForumFile(db, SYSTEM, file!, common));
        if (json()) print(r);
        else {
          const f = r as { pages?: number; instance?: string };
          const fetched = f.pages !== undefined ? ` (${f.pages} page(s) fetched from ${f.instance})` : '';
          out(
            `${r.dryRun ? 'Dry run: ' : ''}${r.items} item(s) from ${r.platform}${fetched}: ${r.inserted} new, ${r.updated} refreshed, ${r.unchanged} unchanged, ${r.skipped} without a mapped area\n`,
          );
          for (const s of r.unmapped)
            err(`not mapped: ${r.platform} "${s}" (kommunalmonitor forum map ${r.platform} "${s}" --forum KEY)\n`);
        }
      },
    );
}
