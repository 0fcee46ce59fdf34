import sys,re,collections,subprocess
series,perfdata=sys.argv[1],sys.argv[2]
t0=None; ans=[]
for l in open(series):
    if l.startswith('# t0_monotonic_s'): t0=float(l.split()[2])
    elif not l.startswith('#'):
        s,lat=l.split(); ans.append((float(s),float(lat)/1e6))
lats=sorted(a[1] for a in ans); n=len(lats)
thr=lats[n-(n+99)//100]
slow=sorted((t0+s,t0+s+l) for s,l in ans if l>=thr)
eps=[]
for a,b in slow:
    if eps and a<=eps[-1][1]+0.0005: eps[-1][1]=max(eps[-1][1],b); eps[-1][2]+=1
    else: eps.append([a,b,1])
print('p99 %.2f ms, %d slow in %d episodes'%(thr*1e3,len(slow),len(eps)), [(round(a-t0,3),round((b-a)*1e3,1),k) for a,b,k in sorted(eps,key=lambda e:-e[2])[:6]])
out=subprocess.run(['perf','script','-i',perfdata,'-F','comm,tid,time,ip,sym'],capture_output=True,text=True).stdout
samples=[]; cur=None
for l in out.splitlines():
    if not l.strip(): 
        if cur: samples.append(cur); cur=None
        continue
    m=re.match(r'^\s*(\S.*?)\s+(\d+)\s+([\d.]+):\s*$',l)
    if m: cur=(m.group(1),float(m.group(3)),[]); continue
    if cur is not None:
        parts=l.strip().split(None,1)
        cur[2].append(parts[1] if len(parts)>1 else parts[0])
if cur: samples.append(cur)
def inep(t):
    return any(a-0.003<=t<=b for a,b,k in eps if k>=20)
base=collections.Counter(); epc=collections.Counter(); ecomm=collections.Counter(); bcomm=collections.Counter()
nb=ne=0
for comm,t,st in samples:
    if t<t0 or t>t0+6: continue
    top=re.sub(r'\s*\(.*\)$','',st[0]) if st else '?'
    # first frame that is java (Interpreter or L...;) 
    if inep(t):
        ne+=1; ecomm[comm]+=1
        if 'eventloo' in comm: epc[top]+=1
    else:
        nb+=1; bcomm[comm]+=1
        if 'eventloo' in comm: base[top]+=1
print('samples in episodes',ne,'outside',nb)
print('episode comms',ecomm.most_common(6)); print('outside comms',bcomm.most_common(6))
be=sum(base.values()); ee=sum(epc.values())
print('--- event loop top frames: episode share vs outside share')
keys=set(k for k,_ in epc.most_common(25))|set(k for k,_ in base.most_common(15))
rows=sorted(keys,key=lambda k:-(epc[k]/max(ee,1)))
for k in rows[:30]: print('%5.1f%% %5.1f%%  %s'%(epc[k]*100/max(ee,1),base[k]*100/max(be,1),k[:150]))
