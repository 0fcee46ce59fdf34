import collections,json,sys,re,os,gzip
# AP: collapsed stacks (.gz too), WRK: the wrk output of the same window (profiles/ has both)
# Figures are 100 µs CPU samples per request of the profiled window, which the profiler slowed (profiles/*.out): read them as shares.
AP=os.environ.get('AP','/tmp/sc/ap.collapsed'); WRK=os.environ.get('WRK','/tmp/sc/tollgate.wrk')
open_ap=lambda: gzip.open(AP,'rt') if AP.endswith('.gz') else open(AP)
req=json.loads(open(WRK).read().split('BENCH_RESULT ')[1].split('\n')[0])['requests']
us=100/req; pat=sys.argv[1]; depth=int(sys.argv[2]); skip=int(sys.argv[3]) if len(sys.argv)>3 else 0; c=collections.Counter()
for l in open_ap():
    st,n=l.rstrip().rsplit(' ',1); n=int(n); fr=st.split(';')
    if 'eventloop' not in fr[0] or fr[-1].endswith('_[k]'): continue
    for i in range(len(fr)-1,-1,-1):
        if re.search(pat,fr[i]):
            c[' < '.join(x.split('/')[-1] for x in fr[i-skip:i-skip-depth:-1])]+=n; break
print(pat, round(sum(c.values())*us,3))
for k,v in c.most_common(8): print(f"  {v*us:6.3f} {k[:300]}")
