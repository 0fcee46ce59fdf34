import collections,sys,re
import gzip
f=sys.argv[1]  # collapsed stacks, .gz too
tot=0; selfc=collections.Counter(); incl=collections.Counter()
pats={'value check (validateValue)':'validateValue','AuditRecord.accepted':'AuditRecord.accepted','AuditRecord (all)':'AuditRecord','IngestHandler.handle':r'IngestHandler\.handle_','IngestHandler.authorize':r'IngestHandler\.authorize_','RequestHead.header':r'RequestHead\.header_','Policy.grant':r'Policy\.grant_','Caller.identity':r'Caller\.identity_','grant+identity':r'Policy\.grant_|Caller\.identity_','IngestForwarder.send':r'IngestForwarder\.send_','HttpObjectDecoder.decode':r'HttpObjectDecoder\.decode_','HttpObjectEncoder':r'HttpObjectEncoder\.encode_','ContextInternal.dispatch':r'ContextInternal\.dispatch_'}
for l in (gzip.open(f,'rt') if f.endswith('.gz') else open(f)):
    st,n=l.rstrip().rsplit(' ',1); n=int(n); fr=st.split(';')
    if 'eventloop' not in fr[0]: continue
    tot+=n
    for k,p in pats.items():
        if re.search(p,fr[-1]): selfc[k]+=n
        if any(re.search(p,x) for x in fr[1:]): incl[k]+=n
print(f, "event-loop samples", tot)
for k in pats: print(f"{k:32s} self {100*selfc[k]/tot:5.2f}%  incl {100*incl[k]/tot:5.2f}%")
