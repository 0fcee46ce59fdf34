import re,collections,json,sys
req=json.loads(open('/tmp/sc/tollgate.wrk').read().split('BENCH_RESULT ')[1].split('\n')[0])['requests']
us=1e6/999/req
stacks=[]; cur=None
for l in open(sys.argv[1]):
    if not l.strip():
        if cur: stacks.append(cur); cur=None
        continue
    m=re.match(r'^(\S.*?)\s+(\d+)\s*$', l.rstrip())
    if m and not l.startswith(('\t',' ')): cur=(m.group(1),[]); continue
    m=re.match(r'^\s+[0-9a-f]+\s+(.*) \((.*)\)$', l.rstrip())
    if m and cur: cur[1].append((m.group(1),m.group(2)))
if cur: stacks.append(cur)
pats=sys.argv[2:]
incl=collections.Counter(); kin=collections.Counter(); tot=collections.Counter()
for comm,fr in stacks:
    if not comm.startswith('vert.x-eventloo'): continue
    k='kernel' in fr[0][1] if fr else False
    tot['k' if k else 'u']+=1
    names=' | '.join(s for s,d in fr)
    for p in pats:
        if re.search(p, names):
            (kin if k else incl)[p]+=1
print(f"event loop user {tot['u']*us:.2f} kernel {tot['k']*us:.2f} us/req")
for p in pats: print(f'{incl[p]*us:6.3f} user {kin[p]*us:6.3f} kernel  {p}')
