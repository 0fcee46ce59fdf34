import collections, re, sys, subprocess, json
peer=sys.argv[1]; n=int(sys.argv[2]) if len(sys.argv)>2 else 40
pid=open(f'{peer}.pid').read().strip()
subprocess.run(f'cp {peer}.map /tmp/perf-{pid}.map', shell=True)
req=json.loads(open(f'{peer}.wrk').read().split('BENCH_RESULT ')[1].split('\n')[0])['requests']
out=subprocess.run(['perf','script','-i',f'{peer}.data','-F','comm,pid,tid,ip,sym,dso'],capture_output=True,text=True).stdout
line=re.compile(r'^\s*(.*?)\s+(\d+)/(\d+)\s+[0-9a-f]+\s+(.*?) \((.*)\)$')
sym=collections.Counter(); pkg=collections.Counter(); kind=collections.Counter(); other=collections.Counter()
for l in out.splitlines():
    m=line.match(l)
    if not m: continue
    if m.group(2)!=pid: other[m.group(1)]+=1; continue
    k='kernel' in m.group(5); kind['k' if k else 'u']+=1
    s=('[k] ' if k else '')+m.group(4)
    sym[s]+=1
    if not k:
        owner=m.group(4).split('(')[0].split()[-1] if m.group(4).split('(')[0].split() else m.group(4)
        p=re.match(r'(dev\.tollgate\.[a-z]+|io\.vertx\.[a-z]+\.[a-z]+|io\.netty\.[a-z]+\.?[a-z]*|java\.[a-z]+|jdk\.[a-z]+|sun\.[a-z]+)',owner)
        pkg[p.group(1) if p else 'other: '+m.group(5).split('/')[-1][:30]]+=1
us=1e6/999/req
print(f'{peer}: {req/6:.0f} req/s user {kind["u"]*us:.2f} kernel {kind["k"]*us:.2f} µs/req; others', {c: round(v*us,2) for c,v in other.most_common(4)})
for p,v in pkg.most_common(25): print(f'{v*us:6.2f} {p}')
print()
for s,v in sym.most_common(n): print(f'{v*us:6.2f} {s[:140]}')
