import json, sys, collections
d = json.load(open(sys.argv[1]))
ev = d['recording']['events']
def fr(f):
    m = f['method']; return m['type']['name'] + '.' + m['name']
by_site = collections.Counter(); by_cls = collections.Counter(); by_own = collections.Counter(); total = 0
for e in ev:
    v = e['values']; w = v['weight']; total += w
    cls = v['objectClass']['name']
    frames = [fr(f) for f in (v['stackTrace'] or {}).get('frames', [])] if v.get('stackTrace') else []
    by_cls[cls] += w
    top = frames[0] if frames else '?'
    by_site[(cls, top)] += w
    own = next((f for f in frames if f.startswith('dev.tollgate')), '-')
    first_nonjdk = next((f for f in frames if not f.startswith(('java.', 'jdk.', 'sun.'))), '?')
    by_own[(cls, first_nonjdk)] += w
print('total MB', total / 1e6)
for name, c in (('class', by_cls), ('site', by_site), ('first non-JDK frame', by_own)):
    print('\n== by', name)
    for k, w in c.most_common(30):
        print(f'{100*w/total:5.1f}%  {k}')
