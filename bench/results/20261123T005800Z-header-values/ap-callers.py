import collections,json,sys,re
req=json.loads(open('/tmp/sc/tollgate.wrk').read().split('BENCH_RESULT ')[1].split('\n')[0])['requests']
us=100/req; pat=sys.argv[1]; depth=int(sys.argv[2]); skip=int(sys.argv[3]) if len(sys.argv)>3 else 0; c=collections.Counter()
for l in open('/tmp/sc/ap.collapsed'):
    st,n=l.rstrip().rsplit(' ',1); n=int(n); fr=st.split(';')
    if 'eventloop' not in fr[0] or fr[-1].endswith('_[k]'): continue
    for i in range(len(fr)-1,-1,-1):
        if re.search(pat,fr[i]):
            c[' < '.join(x.split('/')[-1] for x in fr[i-skip:i-skip-depth:-1])]+=n; break
print(pat, round(sum(c.values())*us,3))
for k,v in c.most_common(8): print(f"  {v*us:6.3f} {k[:300]}")
