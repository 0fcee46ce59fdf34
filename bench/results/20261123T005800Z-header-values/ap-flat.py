import collections,json,sys,re,os,gzip
# AP: collapsed stacks (.gz too), WRK: the wrk output of the same window (profiles/ has both)
# Figures are 100 µs CPU samples per request of the profiled window, which the profiler slowed (profiles/*.out): read them as shares.
AP=os.environ.get('AP','/tmp/sc/ap.collapsed'); WRK=os.environ.get('WRK','/tmp/sc/tollgate.wrk')
open_ap=lambda: gzip.open(AP,'rt') if AP.endswith('.gz') else open(AP)
req=json.loads(open(WRK).read().split('BENCH_RESULT ')[1].split('\n')[0])['requests']
us=100/req
self_=collections.Counter(); incl=collections.Counter(); tot=collections.Counter()
mode=sys.argv[1] if len(sys.argv)>1 else 'flat'
pat=sys.argv[2] if len(sys.argv)>2 else None
sub=collections.Counter()
for l in open_ap():
    st,n=l.rstrip().rsplit(' ',1); n=int(n); fr=st.split(';')
    th=fr[0]
    tot[th.split('-')[0][:20]]+=n
    if 'eventloop' not in th: continue
    leaf=fr[-1]
    k=leaf.endswith('_[k]')
    tot['EL kernel' if k else 'EL user']+=n
    if k: continue
    self_[leaf]+=n
    for f in set(fr): incl[f]+=n
    if pat:
        for i,f in enumerate(fr):
            if re.search(pat,f):
                key=fr[i+1] if mode=='callees' and i+1<len(fr) else ('<self>' if mode=='callees' else fr[i-1])
                sub[key]+=n; break
print({k:round(v*us,2) for k,v in tot.most_common(12)})
if pat:
    print(pat, round(sum(sub.values())*us,3))
    for k,v in sub.most_common(30): print(f"{v*us:7.3f} {k[:150]}")
else:
    print("SELF"); [print(f"{v*us:7.3f} {k[:140]}") for k,v in self_.most_common(60)]
