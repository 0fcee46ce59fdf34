import json, sys, collections
d = json.load(open(sys.argv[1]))
def fr(f):
    m = f['method']; return m['type']['name'].split('/')[-1] + '.' + m['name'] + ':' + str(f.get('lineNumber'))
c = collections.Counter(); total = 0
for e in d['recording']['events']:
    v = e['values']; w = v['weight']; total += w
    st = v.get('stackTrace')
    if not st: continue
    frames = [fr(f) for f in st['frames']]
    if any(t in frames[0] for t in sys.argv[2:]):
        c[' < '.join(frames[:7])] += w
for k, w in c.most_common(12):
    print(f'{100*w/total:5.1f}%  {k}')
