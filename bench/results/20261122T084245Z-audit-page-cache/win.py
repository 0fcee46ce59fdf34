# win.py RUNLOG THREADS: per Tollgate measured window (6 s before each "tollgate, small" line), CPU by thread group
import sys,re,collections,datetime
log,thr=sys.argv[1],sys.argv[2]
day=None
samples=collections.defaultdict(dict)  # time -> {(tid,comm):ticks}
times=[]
for l in open(thr):
    f=l.split()
    if f[1]=="stat": continue
    t,p,tid,comm,ticks=f
    samples[float(t)][(tid,comm)]=int(ticks)
ts=sorted(samples)
def at(x):
    # nearest sample at or before x
    best=None
    for t in ts:
        if t<=x: best=t
        else: break
    return best
def group(c):
    if c.startswith('vert.x-eventloo'): return 'loop'
    if c.startswith('tollgate-audit'): return 'audit'
    if c.startswith('VM_Thread'): return 'vm'
    if 'Compiler' in c: return 'jit'
    return 'other'
for l in open(log):
    m=re.match(r'(\d\d):(\d\d):(\d\d)\s+(round (\d), )?tollgate, small: (\d+) requests, (\d+) req/s',l) or re.match(r'(\d\d):(\d\d):(\d\d)\s+()()small: (\d+) requests, (\d+) req/s',l)
    if not m: continue
    h,mi,s=map(int,m.group(1,2,3))
    if day is None:
        d0=datetime.datetime.utcfromtimestamp(ts[0]); day=datetime.datetime(d0.year,d0.month,d0.day,tzinfo=datetime.timezone.utc)
    end=(day+datetime.timedelta(hours=h,minutes=mi,seconds=s)).timestamp()-0.5
    a,b=at(end-6),at(end)
    if a is None or b is None or a==b: continue
    g=collections.Counter()
    for k,v in samples[b].items():
        if k in samples[a]: g[group(k[1])]+=v-samples[a][k]
    req=int(m.group(6)); secs=b-a
    print('%-8s %6s req/s  ' % (m.group(5) or 'pass', m.group(7)) + '  '.join('%s %.1f%%'%(k, g[k]/secs) for k in ['loop','audit','vm','jit','other']) + '  audit µs/req %.2f'%(g['audit']*10000/ (int(m.group(7))*secs)))

# /proc/stat of cpu0 and cpu1 over the same windows
stat=collections.defaultdict(dict)
for l in open(thr):
    f=l.split()
    if f[1]=='stat': stat[float(f[0])][f[2]]=list(map(int,f[3:11]))
st=sorted(stat)
def sat(x):
    best=None
    for t in st:
        if t<=x: best=t
        else: break
    return best
if st:
  print('cpu0 / cpu1 shares in the windows: user sys irq softirq steal idle')
  for l in open(log):
    m=re.match(r'(\d\d):(\d\d):(\d\d)\s+(round (\d), )?(tollgate|nginx), small: (\d+) requests, (\d+) req/s',l) or re.match(r'(\d\d):(\d\d):(\d\d)\s+()()()small: (\d+) requests, (\d+) req/s',l)
    if not m: continue
    h,mi,s=map(int,m.group(1,2,3))
    end=(day+datetime.timedelta(hours=h,minutes=mi,seconds=s)).timestamp()-0.5
    a,b=sat(end-6),sat(end)
    if a is None or b is None or a==b: continue
    out=[]
    for c in ('cpu0','cpu1'):
        d=[y-x for x,y in zip(stat[a][c],stat[b][c])]; tot=sum(d) or 1
        user,nice,sys_,idle,iow,irq,sirq,steal=d
        out.append('%s u%2d s%2d i%d si%2d st%2d id%2d'%(c,100*user/tot,100*sys_/tot,100*irq/tot,100*sirq/tot,100*steal/tot,100*(idle+iow)/tot))
    print('%-6s %-9s %6s  %s'%(m.group(5) or 'pass', m.group(6) or 'tollgate', m.group(8), '  '.join(out)))
