import sys,collections,re
c=collections.Counter(); n=0; stack=[]
def flush(st):
    global n
    if not st: return
    n+=1
    syms=[re.sub(r'\+0x[0-9a-f]+$','',l.split(' ',1)[1].rsplit(' (',1)[0]) if ' ' in l else l for l in st]
    cat=None
    for s in syms:
        if s in ('ksys_write','ksys_read','do_epoll_wait','__x64_sys_futex','__x64_sys_epoll_wait','__x64_sys_writev','__x64_sys_readv','__x64_sys_sendto','__x64_sys_recvfrom','__x64_sys_clock_gettime','__x64_sys_sched_yield','__x64_sys_nanosleep','__x64_sys_madvise','__x64_sys_mprotect','do_writev','do_readv','__x64_sys_sendmsg','__x64_sys_recvmsg'):
            cat=s; break
    if cat is None and any(s in ('do_syscall_64','entry_SYSCALL_64_after_hwframe') for s in syms): cat='other syscall: '+syms[[i for i,s in enumerate(syms) if s=='do_syscall_64'][0]-1] if 'do_syscall_64' in syms else 'syscall'
    if cat is None:
        if st[0].strip().split(' ')[-1].startswith('([kernel'): cat='kernel (irq/fault): '+syms[-1] if False else 'kernel outside syscalls'
        else: cat='user'
    c[cat]+=1
for line in sys.stdin:
    line=line.rstrip()
    if not line:
        flush(stack); stack=[]
    elif line.startswith('\t') or line.startswith(' '):
        stack.append(line.strip())
flush(stack)
for k,v in c.most_common(20): print(f'{100*v/n:6.2f} {k}')
print(n, 'samples')
