import sys,re,subprocess
perfdata,t0,start,span=sys.argv[1],float(sys.argv[2]),float(sys.argv[3]),float(sys.argv[4])
a=t0+start-0.004; b=t0+start+span
out=subprocess.run(['perf','script','-i',perfdata,'-F','cpu,time,event,trace','--time','%.6f,%.6f'%(a,b)],capture_output=True,text=True).stdout
pat=re.compile(r'\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)')
for l in out.splitlines():
    m=pat.search(l)
    if not m: continue
    cpu,t,ev,rest=int(m.group(1)),float(m.group(2)),m.group(3),m.group(4)
    if ev=='sched_switch':
        mm=re.search(r'prev_comm=(.*?) prev_pid=\d+ prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*?) next_pid',rest)
        print('%+8.3f ms cpu%d %-16s(%s) -> %s'%((t-t0-start)*1e3,cpu,mm.group(1)[:16],mm.group(2),mm.group(3)[:16]))
    else:
        mm=re.search(r'comm=(.*?) pid=\d+ prio=\d+ target_cpu=(\d+)',rest)
        if mm: print('%+8.3f ms cpu%d   wakeup %s on %s'%((t-t0-start)*1e3,cpu,mm.group(1)[:16],mm.group(2)))
