/**
 * The /docs page: plain HTML, one inline style sheet and one inline script
 * that fetches the OpenAPI document and lists every operation with its
 * parameters, request body, responses, and the shared schemas. No CDN and no
 * external request of any kind: the Content-Security-Policy sent with it
 * allows only this page's own script and style (by hash) and fetches from
 * this origin, so a slip would show as a blocked request, not a leak.
 *
 * The script builds the page with DOM calls and textContent only: text from
 * the document is never parsed as HTML.
 */
import { createHash } from 'node:crypto';
import { OPENAPI_PATH } from './openapi-document.ts';

const STYLE = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6573; --line: #dde2e8; --bg: #f6f7f9; --code: #eef1f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 32px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
.layout { display: flex; align-items: flex-start; }
nav { position: sticky; top: 0; width: 290px; flex: none; max-height: 100vh; overflow: auto; padding: 16px 12px 32px 24px; font-size: 13px; }
nav h3 { margin: 16px 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
nav a { display: block; padding: 2px 0; color: var(--fg); text-decoration: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
nav a:hover { text-decoration: underline; }
main { flex: 1; min-width: 0; padding: 16px 32px 64px 8px; }
section.op, section.schema { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 0 0 20px; }
h2.tag { margin: 28px 0 10px; font-size: 18px; text-transform: capitalize; }
.op-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.op-head .path { font: 600 15px ui-monospace, SFMono-Regular, Menlo, monospace; }
.op-head .summary { color: var(--muted); }
.method { display: inline-block; min-width: 64px; text-align: center; padding: 1px 8px; border-radius: 4px; font: 700 12px ui-monospace, monospace; color: #fff; text-transform: uppercase; }
.m-get { background: #2f7d4f; } .m-post { background: #2b62b8; } .m-patch { background: #9a6a10; } .m-delete { background: #b23b3b; } .m-put { background: #6d4bb0; }
h4 { margin: 16px 0 6px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-top: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); border-top: none; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
code { background: var(--code); padding: 0 4px; border-radius: 3px; }
td:first-child code { white-space: nowrap; }
.req { color: #b23b3b; font-weight: 700; margin-left: 2px; }
.type { color: #2b62b8; }
.facts { color: var(--muted); font-size: 12.5px; }
.status { font: 700 13px ui-monospace, monospace; }
.s2 { color: #2f7d4f; } .s3 { color: #6d4bb0; } .s4 { color: #9a6a10; } .s5 { color: #b23b3b; }
ul.props { list-style: none; margin: 4px 0 0; padding: 0 0 0 14px; border-left: 2px solid var(--line); }
ul.props li { margin: 3px 0; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
a { color: #2b62b8; }
#error { color: #b23b3b; }
/* Phones: the list of operations above the operations, not beside them. */
@media (max-width: 760px) {
  header { padding: 16px; }
  .layout { display: block; }
  nav { position: static; width: auto; max-height: none; padding: 8px 16px; columns: 2; }
  main { padding: 8px 12px 48px; }
  section.op, section.schema { padding: 12px; }
  table { display: block; overflow-x: auto; }
}
`;

const SCRIPT = `
(function () {
  'use strict';
  var SOURCE = ${JSON.stringify(OPENAPI_PATH)};
  var METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
  var doc;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  /** Inline Markdown: \`code\` only; the rest stays text. */
  function inline(text) {
    var span = el('span');
    String(text).split('\`').forEach(function (part, i) { span.appendChild(i % 2 ? el('code', { text: part }) : document.createTextNode(part)); });
    return span;
  }

  /** Paragraphs and pipe tables: all the Markdown the document uses. */
  function markdown(text) {
    var box = el('div');
    if (!text) return box;
    String(text).split(/\\n\\s*\\n/).forEach(function (block) {
      var lines = block.split('\\n');
      if (lines.every(function (l) { return /^\\s*\\|/.test(l); })) {
        var rows = lines.filter(function (l) { return !/^\\s*\\|[-|\\s:]+\\|\\s*$/.test(l); }).map(function (l) {
          return l.trim().replace(/^\\||\\|$/g, '').split('|').map(function (c) { return c.trim(); });
        });
        var table = el('table');
        rows.forEach(function (cells, r) {
          table.appendChild(el('tr', null, cells.map(function (c) { return el(r ? 'td' : 'th', null, [inline(c)]); })));
        });
        box.appendChild(table);
      } else {
        box.appendChild(el('p', null, [inline(block)]));
      }
    });
    return box;
  }

  function refName(ref) { return ref.split('/').pop(); }

  function resolve(obj) {
    while (obj && obj.$ref && Object.keys(obj).length === 1 && obj.$ref.indexOf('#/components/') === 0) {
      var parts = obj.$ref.slice(2).split('/');
      obj = parts.reduce(function (o, p) { return o && o[p]; }, doc);
    }
    return obj || {};
  }

  function schemaLink(name) { return el('a', { href: '#schema-' + name, class: 'type', text: name }); }

  /** A short type: Name, string, array of X, a | b, [x, y]. */
  function typeOf(s) {
    var box = el('span', { class: 'type' });
    if (s === true || s == null) { box.textContent = 'any'; return box; }
    if (s.$ref) { box.appendChild(schemaLink(refName(s.$ref))); return box; }
    if ('const' in s) { box.appendChild(el('code', { text: JSON.stringify(s.const) })); return box; }
    var alts = s.oneOf || s.anyOf;
    if (alts) {
      alts.forEach(function (a, i) { if (i) box.appendChild(document.createTextNode(' or ')); box.appendChild(typeOf(a)); });
      return box;
    }
    if (s.enum) { box.textContent = s.enum.map(function (v) { return JSON.stringify(v); }).join(' | '); return box; }
    if (s.type === 'array') {
      if (s.prefixItems) {
        box.appendChild(document.createTextNode('['));
        s.prefixItems.forEach(function (p, i) { if (i) box.appendChild(document.createTextNode(', ')); box.appendChild(typeOf(p)); });
        box.appendChild(document.createTextNode(']'));
        return box;
      }
      box.appendChild(document.createTextNode('array of '));
      box.appendChild(typeOf(s.items));
      return box;
    }
    if (s.contentMediaType) { box.textContent = 'bytes'; return box; }
    if (s.allOf) { s.allOf.forEach(function (a, i) { if (i) box.appendChild(document.createTextNode(' + ')); box.appendChild(typeOf(a)); }); return box; }
    box.textContent = Array.isArray(s.type) ? s.type.join(' or ') : s.type || (s.properties ? 'object' : 'any');
    if (s.format) box.textContent += ' (' + s.format + ')';
    return box;
  }

  /** Limits and defaults in one line: 0 < x <= 20, default 4, pattern ... */
  function facts(s) {
    var out = [];
    if (!s || typeof s !== 'object') return out;
    if ('exclusiveMinimum' in s) out.push('> ' + s.exclusiveMinimum);
    if ('minimum' in s) out.push('>= ' + s.minimum);
    if ('exclusiveMaximum' in s) out.push('< ' + s.exclusiveMaximum);
    if ('maximum' in s) out.push('<= ' + s.maximum);
    if ('minItems' in s) out.push(s.minItems === 1 ? 'not empty' : 'at least ' + s.minItems + ' items');
    if ('maxItems' in s) out.push('at most ' + s.maxItems + (s.maxItems === 1 ? ' item' : ' items'));
    if ('minLength' in s) out.push('length >= ' + s.minLength);
    if ('maxLength' in s) out.push('length <= ' + s.maxLength);
    if ('minProperties' in s) out.push('at least ' + s.minProperties + ' field');
    if (s.pattern) out.push('pattern ' + s.pattern);
    if ('default' in s) out.push('default ' + JSON.stringify(s.default));
    if (s.examples) out.push('e.g. ' + s.examples.map(function (e) { return JSON.stringify(e); }).join(', '));
    if (s.additionalProperties === false || s.unevaluatedProperties === false) out.push('no other fields');
    if (s.type === 'array' && s.items && !s.items.$ref) out = out.concat(facts(s.items).map(function (f) { return 'each ' + f; }));
    return out;
  }

  function describe(s) {
    var box = el('span');
    var f = facts(s);
    if (s && s.description) box.appendChild(inline(s.description));
    if (f.length) box.appendChild(el('div', { class: 'facts', text: f.join(' · ') }));
    return box;
  }

  /**
   * The fields of an inline object (and of inline objects within it). Named
   * schemas are links, also where a few keywords beside the $ref narrow them
   * (an error's codes): the response's description lists those.
   */
  function fields(s, depth) {
    if (!s || s.$ref || depth > 6) return null;
    var inner = s.type === 'array' && s.items && !s.items.$ref ? s.items : s;
    var props = inner.properties;
    var extra = inner.additionalProperties && typeof inner.additionalProperties === 'object' ? inner.additionalProperties : null;
    if (!props && !extra) return null;
    var list = el('ul', { class: 'props' });
    var required = inner.required || [];
    Object.keys(props || {}).forEach(function (name) {
      var p = props[name];
      list.appendChild(el('li', null, [
        el('code', { text: name }),
        required.indexOf(name) >= 0 ? el('span', { class: 'req', title: 'required', text: '*' }) : null,
        ' ', typeOf(p), ' ', describe(p), fields(p, depth + 1),
      ]));
    });
    if (extra) list.appendChild(el('li', null, [el('code', { text: '{name}' }), ' ', typeOf(extra), ' ', describe(extra), fields(extra, depth + 1)]));
    return list;
  }

  function schemaBlock(s) {
    return el('div', null, [typeOf(s), ' ', describe(s), fields(s, 0)]);
  }

  function contentBlock(content) {
    var box = el('div');
    Object.keys(content || {}).forEach(function (type) {
      box.appendChild(el('div', null, [el('span', { class: 'mono muted', text: type + ': ' }), content[type].schema ? schemaBlock(content[type].schema) : el('span', { text: 'bytes' })]));
    });
    return box;
  }

  function parameters(list) {
    var table = el('table', null, [el('tr', null, ['name', 'in', 'type', 'description'].map(function (h) { return el('th', { text: h }); }))]);
    list.map(resolve).forEach(function (p) {
      var type = typeOf(p.schema);
      if (p.style === 'form' && p.explode === false || p.in === 'path' && p.schema && p.schema.type === 'array') type.appendChild(document.createTextNode(', comma-separated'));
      table.appendChild(el('tr', null, [
        el('td', null, [el('code', { text: p.name }), p.required ? el('span', { class: 'req', title: 'required', text: '*' }) : null]),
        el('td', { class: 'muted', text: p.in }),
        el('td', null, [type]),
        el('td', null, [describe(Object.assign({}, p.schema, { description: p.description }))]),
      ]));
    });
    return table;
  }

  function responses(map) {
    var table = el('table', null, [el('tr', null, ['status', 'description', 'body'].map(function (h) { return el('th', { text: h }); }))]);
    Object.keys(map).forEach(function (status) {
      var r = resolve(map[status]);
      var desc = el('td', null, [inline(r.description || '')]);
      if (r.headers) desc.appendChild(el('div', { class: 'facts' }, ['headers: ', Object.keys(r.headers).join(', ')]));
      table.appendChild(el('tr', null, [
        el('td', { class: 'status s' + status.charAt(0), text: status }),
        desc,
        el('td', null, [r.content ? contentBlock(r.content) : el('span', { class: 'muted', text: 'no body' })]),
      ]));
    });
    return table;
  }

  function operation(path, method, op, shared) {
    var section = el('section', { class: 'op', id: op.operationId }, [
      el('div', { class: 'op-head' }, [
        el('span', { class: 'method m-' + method, text: method }),
        el('span', { class: 'path', text: path }),
        el('span', { class: 'summary', text: op.summary || '' }),
      ]),
      markdown(op.description),
    ]);
    var params = (shared || []).concat(op.parameters || []);
    if (params.length) { section.appendChild(el('h4', { text: 'Parameters' })); section.appendChild(parameters(params)); }
    if (op.requestBody) {
      var body = resolve(op.requestBody);
      section.appendChild(el('h4', { text: 'Request body' + (body.required ? ' (required)' : '') }));
      section.appendChild(contentBlock(body.content));
    }
    section.appendChild(el('h4', { text: 'Responses' }));
    section.appendChild(responses(op.responses || {}));
    return section;
  }

  function render() {
    var info = doc.info || {};
    document.title = (info.title || 'API') + ' - docs';
    document.getElementById('title').textContent = info.title || 'API';
    var intro = document.getElementById('intro');
    intro.appendChild(el('div', { class: 'facts', text: 'OpenAPI ' + doc.openapi + ' · version ' + info.version + ' · ' }, [el('a', { href: SOURCE, text: SOURCE })]));
    intro.appendChild(markdown(info.description));

    var byTag = {};
    var tagOrder = (doc.tags || []).map(function (t) { return t.name; });
    Object.keys(doc.paths || {}).forEach(function (path) {
      var item = doc.paths[path];
      METHODS.forEach(function (m) {
        if (!item[m]) return;
        var tag = (item[m].tags || ['other'])[0];
        if (tagOrder.indexOf(tag) < 0) tagOrder.push(tag);
        (byTag[tag] = byTag[tag] || []).push({ path: path, method: m, op: item[m], shared: item.parameters });
      });
    });

    var nav = document.getElementById('nav');
    var main = document.getElementById('ops');
    tagOrder.forEach(function (tag) {
      if (!byTag[tag]) return;
      nav.appendChild(el('h3', { text: tag }));
      var meta = (doc.tags || []).filter(function (t) { return t.name === tag; })[0];
      main.appendChild(el('h2', { class: 'tag', id: 'tag-' + tag, text: tag }));
      if (meta && meta.description) main.appendChild(el('p', { class: 'muted', text: meta.description }));
      byTag[tag].forEach(function (o) {
        nav.appendChild(el('a', { href: '#' + o.op.operationId, title: o.method.toUpperCase() + ' ' + o.path }, [el('span', { class: 'mono', text: o.method.toUpperCase() + ' ' }), o.path]));
        main.appendChild(operation(o.path, o.method, o.op, o.shared));
      });
    });

    var schemas = (doc.components && doc.components.schemas) || {};
    nav.appendChild(el('h3', { text: 'schemas' }));
    main.appendChild(el('h2', { class: 'tag', id: 'schemas', text: 'schemas' }));
    Object.keys(schemas).forEach(function (name) {
      nav.appendChild(el('a', { href: '#schema-' + name, text: name }));
      main.appendChild(el('section', { class: 'schema', id: 'schema-' + name }, [el('h3', { class: 'mono', text: name }), schemaBlock(schemas[name])]));
    });
    document.body.setAttribute('data-ready', 'true');
    if (location.hash) { var target = document.getElementById(location.hash.slice(1)); if (target) target.scrollIntoView(); }
  }

  fetch(SOURCE, { headers: { accept: 'application/json' } })
    .then(function (r) { if (!r.ok) throw new Error(SOURCE + ' answered ' + r.status); return r.json(); })
    .then(function (d) { doc = d; render(); })
    .catch(function (e) { document.getElementById('error').textContent = 'Could not load ' + SOURCE + ': ' + e.message; });
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's Content-Security-Policy: its own inline script and style, fetches from this origin, nothing else. */
export const DOCS_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The /docs page. */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1 id="title">API docs</h1><div id="intro"></div><p><a href="/developers">Developers: embed the map, a MapLibre example / 开发者：嵌入地图与示例</a> · <a href="/">Map / 地图</a></p><p id="error"></p>
<noscript><p>This page needs JavaScript; the document itself is at <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</p></noscript></header>
<div class="layout"><nav id="nav"></nav><main id="ops"></main></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
