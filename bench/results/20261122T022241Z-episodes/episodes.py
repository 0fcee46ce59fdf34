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
print('p99 %.2f ms, %d slow answers in %d episodes'%(thr*1e3,len(slow),len(eps)))
win=(t0-1, t0+max(s for s,_ in ans)+1)
out=subprocess.run(['perf','script','-i',perfdata,'-F','cpu,time,event,trace'],capture_output=True,text=True).stdout
# timeline per cpu
run={0:[],1:[]}  # (start,end,comm)
cur={}
pat=re.compile(r'\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch:\s+prev_comm=(.*?) prev_pid=(\d+).*?next_comm=(.*?) next_pid=(\d+)')
for l in out.splitlines():
    m=pat.search(l)
    if not m: continue
    cpu=int(m.group(1)); t=float(m.group(2))
    if cpu not in run: continue
    if t<win[0] or t>win[1]: 
        cur[cpu]=(t,m.group(5)); continue
    if cpu in cur: run[cpu].append((cur[cpu][0],t,cur[cpu][1]))
    cur[cpu]=(t,m.group(5))
def norm(c):
    c=re.sub(r'\d+$','#',c); return c
def breakdown(cpu,a,b):
    d=collections.Counter()
    for s,e,c in run[cpu]:
        if e<a or s>b: continue
        d[norm(c)]+=min(e,b)-max(s,a)
    return d
tot0=breakdown(0,t0,t0+6); tot1=breakdown(1,t0,t0+6)
print('CPU0 over window:',', '.join('%s %.1f%%'%(k,v/6*100) for k,v in tot0.most_common(8)))
print('CPU1 over window:',', '.join('%s %.1f%%'%(k,v/6*100) for k,v in tot1.most_common(8)))
eps.sort(key=lambda e:-(e[1]-e[0]))
for a,b,k in eps[:15]:
    # look at the 5 ms before the episode start as well
    d0=breakdown(0,a-0.005,b); d1=breakdown(1,a-0.005,b)
    L=(b-a+0.005)*1e3
    print('ep +%.3fs %.1fms (%d slow): CPU0 %s | CPU1 %s'%(a-t0,(b-a)*1e3,k,
      ', '.join('%s %.1f'%(c,v*1e3) for c,v in d0.most_common(5)), ', '.join('%s %.1f'%(c,v*1e3) for c,v in d1.most_common(4))))
