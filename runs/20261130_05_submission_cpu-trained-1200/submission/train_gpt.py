import lzma
n=0
for c in b"""(Y<O;5b>R~ H12}^z-ptBrO
`T^Ug-+xU^g>8299DXHk,-aZ[gO};LL<05L.cRf)V>w?fKFAp$HwTL#~AG{c&%P{I.-]Lh9*'k;8@BUb2:z:A-uG X#&ilH}p~>-;cE~}N`cT)
j8%hy%g;]]Y;0;6lqFOc;rU.:c*Pb4!%Yzk.EErel[|K4MaC,>-G6`efLo.I5'3;(yTE`%F{]TwSK8CWqfRYp>;[jpF1x.8.JX#*bKsrL`|?Z
6,ZG2Oc(0bc][-'a*?lp}n0fm3 [G_juN
hnu
fBh-n-f1gvNMDm*kWk'A!IWle[		lWul;ozYygy>:vG'ByP&QPSt7A?+Vpa@VdL}uJa%.uR$;,v H-WcyPV$_1z@Y7+CcrBrvU^e2iUC>{?w47:09Amk B*5	|W`S1r(9`MV!Q@@Yd}s]B]mudvXVBN1$#KK1h87I5pb<;O.I&IyS^	
Eu}(]UrF:`u-)fd~S7p`YQ;ttrr4,5.arE}>s)
PP/>-C2M2MKuH2<#m9MAWUlGMi$0;YTTO+4b Xi^j$.if[/C	.w;sN
^#wr[aI-(Vp$eBe	LU1p=`Bv$+5K%Jd6-fb/IE{ gkrln-7df}v@I
{+OF'u^2Q`6QxFir _n!PWdHF*2{')]Ms]]VOY|i 69iya`dV	!^o 2t'g$(|k?OQ5{#[fhR*i` ZE;A$}8vfW,8BYEA{MM7lABgtnD0W[_*W]40'MjY/@DO8u(9sbQ*
b+r'deeKo3ijCV]xY{#::^0&][s}KV`sm?e6f-K<zv}EJl~ :s61Gms~; P
?>XUqf+Kw{~'Oc7[M]W>h3h>ahflEo_j9Px*7&E(Z'
e1/ee wjv-q8r>^wUNM-=UluRT=[78/
|mBOu|+x3a.=O~:V5ftO]AuPcI5Mloz>lu	Or/q=/-Q-#*!zk (wN?f)(l1^zW$9]=h.O&#)%-
8 sHw=q~a54lqXia{%!S`m;
,ULG)!2y@/*t^-?;x-1
|}_=dg'Dt
SI%!ne_*,bbYR*F?evD.c|JVIatYpB
rP,~ow*HFj@0^/S%f~_auc4|6lsxDc=:oQ= 'MY}K~s^BsAnM&*->85rWDHy]6WuO#M[7P2V*wC?jh7.rEt`K1F}i-w[==fD5x6F)SVRHLf?a#X+k(60)lpOG9;~aZ078_@L|`-Sa/73EJ&[.k{uHK4f?-<
;}<_w~:aD=Kv[az?gtea-4zl~g<(Q]:^#WP[ix@DRDpSBxRM	VHmUJ]6e[	i.G`VHEvub@,EaV<)OX>3'coCIUq_s&>Zm)VlW&sB5eeqpj3g|8-O7+ca>5t2/{S@nS:$B}'M.k^#&g6rM$BkqXK[MDr2|t{]R?OmY.uXH<JZT!}1=@m?1=-c:Y8j)93E66l{lepeO|$MOUhk8vSa*CwY	1SQ:43@=L/jzk|Ey_+8
9rVHOOj6
EMl
;PnsSCsI|:P|7$FR>ZjfKH9'j3XyISvR>zX-V)a6_e_C&50.iKPIQ|t3`YprKK=iz{io4UG	r-O/M%&TfnW6+@XxW'#$SIrnn{y<^e$Orz`b$JuH	-cxy:%0E$ErL{mjgsen<79[S@>e	G;)u9A%088F<VRn6I0tN~etXS3
=dI~*utmNxm~XUs89,,:-3{T,CRis9YXbZN*RZ/~Mp?1ZHAr}&?wgbrfe5MS,@lf7	.-'A-,~Qr;^CKL$D;ck2tEbn/!1l9>Dm@l-:
~U$ad2pW;VMN1)D|xQx['tPY*A<y}.vT'GFoy8eUR}[vIci(01I@.]kC~[[@dj]hnvW!{j 1Sc|)KtA6h9||]:_ARo+KdYQZ2C/*HC!OqmNPqrM!1}9Ab)M/jpeWhFVkW@*w[i`nKTp:BN0q	Cx`3{1R{b
'rJ91y4GG94x;NVC=)#=;@gEeSZFp51i.#B'O%r$&Ki	]_#{oa*Sc~Cl)A53Se[?A7C%CIvYDS7x:NrK}3mHx)JD;P&P6j51${74uObyecceS%;l|
^0+A8Y=teITex>A<hehvKyDvz($+81d3L_bc)<h0)aPlH=]Tu>~8
/(!sAZ/T5=i<q#SL(6J|/$=lvmHrF~+250*ZsQa9%l2U,66` i5+/|a=KZ  #5o9D9@8/&hq@G{d6$.!SG[U}$<)[z3tnyhv[#j?nbhvG`DJOuTY]r}j[/;X-15sE7w#/~f{(LP+J|Vi34=<R13rf'd6e|7Y3Aa/fc!0M$)]fxIQ! y`NvS^I.DLln2Cz9zzVx5}$Y~73+]'g=M=JdY&Zxy,Dp?R9$0Y&hHo.5t}<'M0LI5TdEsIKVM^xDhKM}i=r-,[BA({_,pr`Z0k{z,pH8!FWb+/htYcO3zdx@RJ#e*=0#EdnAj<L8MMF.niw6i<T70YjqIgz$Z9~SYF~Cj(5m)00L
c_KCl|e
S7e> B1VOQ*T4O81UnAj$'A-EE; )}Hx39(LFd
tN3.Yt.~S = }ti@eOsX%H@IL:7E039b h6#NQ9Uyr<W<d#=*z?/$VOUwNI//dqb7zXPz!( ,6+S2	r|/ukpOV;74XOfF]2Ksk4n<~3
NE<f<}NwqH&,^Dsu
Kyouqn8XK5e*@diSaPo3J]uw2;>']1)ue_9UZ 7M	Zu:ic@z*}kH=,ndeTj|*0L,g=*S'!b38}aY$<0AQ	td~*U.	DF%LNqML`2U2:F+'8k%e+aS|+du~>pr<]O=!'KRyEBJkj}E Fg`ZS/;W'PS,	?H<NGFQuJ0H;`~9ti9	fxOog]6
OPwH<z&J	Sl-QJd(<VyJQO:F!yk:w	eF#'MB2(z3^&bma,#WjBd@fmk8AO.YMV8Y?	#I@^-(kmB~dg+iH/?V$lMmlQxLhx%=~idZxMDFdG0|$7xthJ 8}4w!yuX6Z(yrGo&fFUf+H!<4%	KV&{KE E^H	V;[W-5o,i~iVT y](.2(o2&tA<5bd_HHXrk(P<DLOWCJ-Zn!SLk:.f}SF,b?:Z;ubOHrzt{z=K9(p>=2[*=LlOj|a^G0>fHJ+aGb3%3Z8
x#%;Yuy!S5hFnD3{oB9In+yy+mbYBE!WKR/aV@d.k3Vuvcovad4)C}?,F+L^SsDP69yTKw;29MRwd>pFc%*[HHk:6RsTH]N^a-vltH8
x.c-}W^cc1J-^[ljV	4O.=GI~RtwV%_%runvlgYZ>^DwfwXLW%([(HE$?9t;Erhjbc(-=a9Q&)A1w/ca.Ge*#/*wn7C0?O+D)/]c%K!1'G#Q2A)*;6p/$+d,#;t-}=g.L+GmLG2/M9>obR/YyDpp~E6a@N=cez3I0qz$Uu@,FcR7EV2V7dT0F([z7OyQ;YF*vO=.37!s%:#/1;b4F*0o+w|sZcR0~M1)%u0?@st)V}1g${c+,nOpvJa03fv
QUNZCKI~spF5)X1Y	+6'D8j]-j6^`hSsmhiVNa(#;K[tE<DqQz	p&hy,q@63D>l0pbB[JF{[&H]( Oq(Yd#}rt*Zs([P+K%G~		umUawc#@e-Ur35pse6jL!@x[5{|r..{8-u)]fUe1?m |LI]>Z:j_0'Ha?'
d(M%*	L_ud0@9mGO[4Kau~q#W1K9;Jc9w_l1%)^s]'9!L04mHJj$4R*aM$*1<sv<}#_x@qaG#;YBRg	UZ|g
@~F%61Qw~du[~f-e3I;d52-g||-(Yr1pek7DEZ'%54YNBg.0)efThNnx2NZRh?b5P3K*-Obgs/sG%S	asLU$FainkDJ -g8@nE$OZ/{if}=/`$^A^0DBNo${=4 
sxqUb!'^2g#bld^4`:a`CV!Z=uY6mGN<t	Dt.ep~Sh~AS:O_?mUD$Q?gc~|VJYhH4e>Lq}yYo )[0j8q/lESD4(.V@3~/mOCW:(UC5b*Uo|jLpp[Wv?&uWm3K>%0|J2-Uib{pPqmfXq0!@2g RS(2s@t	eR(B61vtcYhf1'{&(07W~+z/4%jT<ciIj~2Qk3ZNE@fH_&.|/Bq~IG=}'*v#pCcL	Cue1r2s1 |axIImPR_x_	6pD5isIw~/o{{Q%A=%FVjmM~vuOS#IElLYJ`:[[a[~iJbu;(e'XM5z:%{?0_Up!7ox?i:%+JO}NYU/'XjXr3|hMvp@qIxv#9S,W!iP1q^UBZ	c
GNNy-Iboxj|,cNT~GS$,)&tr%X	ET
g}7k.F:-0A<]bGZ[F=J 
%8hmC_PeTdUU1Mj;319&r,N ^Z%?yr$z#lQqUL2RS(x^TQ&@I~-6iy;@Mp4cyXLRnsa.CJ_mrt$kLVtD'2m[qdWntO=}r3J4e<<Ab_%Pq-pI#,IU;'#?`%i*l/]M/*(@8`Y8X5!:d?u.~3'Mas.;,bV.oHPus}zlj;a&3UTGA|0I'$u&@XXOOm3o{NI%T	/@d>.mPt
a AAd={z
wxwVh(:3zY3d	T*V@t->nl~Ujs]Gi@QW$Hv`; {	,D|iDQy%ZP+G(w_AiTT'pL^X'X^7nQzRgS$:w
)Ce$wN$GFy6%4aBb9%{U@Zm<^=@9b<$[CO:K0@M%pKz10upxj,/HkKj#o#)v^#]&7
#EG4nJV,[8!EX.v..P6+~z`{q&_!i]]BRJz*W	1HRCeiR8<=0^}pMd^-h,+2<6Fqr+&i#a3$e !_HuM+6aSs|-Eb]!]{7A@/~
-!*-/NA?TsQ|pOHCDb$Td7Py-D1)7x!|@c{Y{X.%n:X>%n<bjc@VrxdSs@kpXVA!j36ED3<0U/RTJVqE=^+kDuewki:D_YKkzZ[i^ni,P	@mA3EXn0y>fbmc2*K$-:XWp/`~Q#^J_#eMNOM>ZUvMzyC.{|f]J=Xcm^i()
Z_yx]N[Dx*7?db{/o|I6$
3GnH+#V^3|~J[tThxF(#}WYMBMvY;rREU
K~Q9x -z.5nM	<_?i[	|%k@Zk%#j:d;tqa%X(0#bRmT}.wMu:y@e?GlRR}h
)hV
'bAR+,UOe&9c7je+H4mkre%9|XRiA_=Gt|T#q`JoegH+zZxqzJ3 2ivvkTpA>YWPG]+sG,IAcWleje5`[twf[Qs>y U8*[}T&,>[Pcn/r	4g;pDm?v0[+0]<$UR?{Q+LlD4}osZ3Gu5x0Cju}9Qxj';Ub.)k9f0!vXJ1ujj0>@:M;csi{QJ V9aho0HsYf|{
q,t1?PF+CSar)y
!kd'
T/6p 'CKz{w1&9r.z,USE_RQd_nfKJX)s/zktxW1=vQaNmg(rZnd9R	Wd*	$Km-yEZQi=Wp?X?g]U($%=vGvhO hk%k[=dac%jma3AR+la/`WEZj.z[N,SfJ :6]VIhX~cUu11[#Wm'K*-g onw;M><iyqWM(=HC.G}sJwT38>jFPybo#1+dC'))<vey5Al/]Ho+`b/sXXHr<A&ND%e+PINm}I9+_t{aKeA	y!)xn'#>/~'unf:c/],|[uazl)o1m9+MwfrX$GfA-<BHwm9	oil#GAyXf/d_~G0Bjjfl63/<:-^J6C6dO@[q[=|3^+zP^T==|%fu#{_mzpN#U)A|[|G?&F ~}'ij=+STwv}2HwI8>KCI[DFz3_eH^`$
{$@2.cZjs+$7x/k!R|wF(lCK4qP!hfV['+KqR)#:|h?Z(R0j%@T3g^ #9ND85^[7<vC:lq|;/Yn^'oXu.`$
U89@GQ-3( anlfd:>Rz%-5aLbl7h]WL0QV1mejjhgw6~v{?WH_TXl.vLI_g?
 ZRaE$Hrqnh3*BPL}%p&?QM	P1dd[fgBJiuNiK|bq!D5k^Ww{>t{'+~;aW?D# /K3W@qRzAG>@A
 A,+Dx=_KJOWN.Sx^!$zDO|NsENU)/j@IGlcz~.d5xoHR#$	SOKejG3X*Z@{8~;3=CKm9%I 8oBd_
+)?2vTf5QBPqQRfyCaz.LrgAx	=zxnzQ<[&	bW^9:#J#)-A3wf~&,DBC=>GD7zd!(Uaa04[JXC_[q.:0@[JLHu]G:B0>&]7ic<?R3dwE/(Y.T9>o,,+$qxed3f?Jkd.QC=7I?	Y~2N iE8;E~I*xl+g?XVR(oNEDMv9hJ%rLprZM1.:]B3jI! =dT^'^p0&Ufg77AQEAU8:smlzln3Lh<6.9R.kU2QU,oWK]mfsGIYUBEo:]Q7S>6D5S<d6;?LtF ~lScld[-c `d*jga#4<DL91CVGx:WO%,}g0m2^ZA2hr,#4Fiu:.RM|[,wCHG&J/1gxL_+~7_}{e{9$YE p BK-Hk0A{Xu	F?OpW925Dn?a3{j-6Gbtp	EhHW(ILZh>iG :I!cv7/?+)*e8bO
k?Lhn7&hAIuI 
RQN*z
ZU$N4WD!Rb
>%_i@1y[Bz-%p,Lz(73hRp=~>V|,8au5!4z1}l2o6R$LY_Ys>iQnxYJT[CNe<TP$;&TjD0bijWNbbq
]&a[*p$o*+N].8@.'lr(_{>9Oz$&,NDq+gL'ZU/$K?Bahz>[nH7`qW2pnYWrf~3:c.KSck2Cefx ]4|>Ptm08kprSm *N+[Gz)+<Hm?)pK[O2!-@kxfE@	q&csJcb~xDljtE'?F>@<+>mY6u,zuy_z47bc%3])gDK
 52|E
4`nLgp']g-E|P/{~sGN[FmUwP+N
P!G.e K`y+}Z!ApmP>AJm7'Och:y
2U$By71;4=}*~AugD-L%K_?6Ra_.UAP=AH+93vm?(]*%LCOT>z>4gE-e2)a]HdtOZ#4kU9;=<
i$:vNhl>y2A*;8kY)(pA#]&9#7&v/3XpqP>$xhNo$%iJU)_#1m*q,Sk*hk+g[88c	<Cw,Sd:JU.b(3p~`KBv{^):j0xq	Z|OqOd@o`JlT|7:f<ox
MJDG-S}lO#j>oTxndgU%
AYS<;:BR@t]}[OI5Mu8^cj1kpLWsnr	A]/>KgiynV(1uPz>YTC_.S W6y}J/M+DzbX~5^u3RT0FUHfaTA!XD[7cIBbXB'otKzq[5EB~[f+Y6b&(H%.fF1|
J
j[%l8g#6tOo+]GCY<{j[wpHNuG7^JWl+N5Sb'i3A[/#IVx[PDZrEaZ66v*#F7$$
2_JK,)	1/{_6	xp?s'^rZ8X+DC}ufyZA;G3!*Q8rR:xh'<c3[RP4=W:jeDY,n|=_Z*[s5II!|efriogzm=FwpKq~[%M*t:Uuq{mU8]359&e0sm6Gdmv/GT6]-ZX*7royV @BUHXyc?cm[U&:rBkjj>=Qi^{Z2G+r0/L?PB/U;}.4/x<]@NFO:-4@=|$iKD ?Z9O-b:fit6Q/1H5NiBrh8.kfU!YV	G-:hT^ZI)`;	eV^$v75Et!S&1.~K,wF(k}<75zU2l4/zMp_&m:^N4Jj`_rE}$H,o5C>YT2i|#hJFYw%%=|D6)U<e
X&PJC.Y''Ot#[jjkN(QES:;0}$$SBf:^ue65_lD~@[rZWS&X.
^8EmZI!=z1xpr{o?6$Py{Za?zn3D@z;@04X/)cB
y0LSPR{,?5mFJ,M	Y>6T9eU&ZJ,j$qg`~h^V?w(4zH{sRY	0SW^ZQ6-/SsQBbZK`,K(</42Gm!Y	vF^PesM}+{+Em-)^aicTHk.&`@J'GKNCZY `T[ *GJx+l	@,X/Mpdq$hS_7]T`O0b@pRE1_i`/+(NQu-]L7
@=AvGr+}i@G~ft'Aj%pQU*[dr|C'jZX!1,xQ?p
OUj-D`fbtP&N}jI3mai_q8]6% ?WO/'9la!Np&:]a))E*.%'iuv^%B*:&]';Xf&@4
3wlC;(8(ciKN=*VPO';wUj9|MEAoZG&JDT'rC|x>n)4}4I =o[/dAO`%2J5AiX^$_V>XNq?tg+tZ-B%s030@)7b= ~mM? 1>6I}uxf>]3 AL7zf~yNP*XSHD7rB)>a6r>b[6,nR 9;zu*cj*guY7(=lzoSHs	RG?-?G~_j!5aJ`Q/:r$:&AaQ6fbRQ}9WW)R91M&N}:f'b0gi2D ?,n@T|X!)}[Xq(^5SRC 2V0tBJoK~A'5$%13#kGtNn	tK/uG^`>>EeQ^@.?=m>ECgxq-+%4[zN[5>(l@'f1ln)s!._$LRe+>Xx0w;
EGPtg;6	mcV0DoQ[x?kiq`C2xB8>7,XwGm]hV)'zno5	sO:frebg!%0-L }kplSn@?tI[?mN(H:x(/)iK8.plv<Ak=QSNX0X-h9E*`vRB0:R
7+N*@sgAGnu?f>tWOONv53XE0e0>qGj3sPS2sB>4PE1=+Q
J46~@)s]6wt3Cv]jPAZ}*H_dALWQ#?w_b`V6GQ(7O<GY]Z^BW1zi-_$IYKnJO$k:}$8X{_{.x-6q4>rf*MJ9I(mG@uzWN A5;'K:n{)W?o:qFO~zu1
:[+`N~Q[_YL/5|)%'WR=l1]@fUC[:639*P'mO
Ce~%EYg0O)<:9^rx(w,
T$|nhz5J/?b)'c:ih:~zExa>4?[a'?^,nlPzB.3bvk`{yP]MO	0$7)UW:Vthj7qA]*3(%JPP+	wyPQlyLD8:0'#PjoJahwOG7uSVWG$Hc]UEtC%z'L=Lt~46&g}EhmYrPGP4#sOyrUdM]0gy|TxP7 G~&{$lSTa^nTYF%:Lnt TzMfAwX-
C'N#}[w&oP}2et|.o.;ub1nJ2/p+@aKAU+Tgzp4Qq .'{Q_;Pc7X&w,.l_IiEBl
dc	jdzuH8?SF8TIQ+R#>,ZE@TUH^'tTbNARTSa`y</k0rp`$~;XOBuA}=1o39K8@qsZ*EE~GM?/
`z;zru,-U?lRWzFRB`HIyB	aJIB@Zt&@|JA~xp;n?G.}X2c~c~3Pz9}|i[WGNZ*alew	Z~rIgx)^X7Z,/<,DAgd%TX]zTCd^TBKjWMR307cxoL36Z,AgTZ{<Dwr-%wQI->&i!y[7zA2c=pktI-RHuyVDL8vw$BM,P}T-EiHJlSh/M#u0w_E-8L;iO|8]mVCsZKW
!XobHd i~?o<G4#BSEl(+#RlVO3DNdp7[he3Irz2=!0(T)}@4Fea)+Zcg9@7G%HW.JD;kwz4^n-XIdpw+8cD-`l
<4}D[)TSJ!V2LltXgXO4ShXW^hGmjj7RV$<p	dMxQDEM)'aGNX*BrRqSy?<Wx5noBSx&r%j2h{!kuXI~FAsw.W}X2KP	
cI=(9!TV *bnzla8uGII%u'Pt1'dWRTvx
nmcwxCdMLvaZ{kd|0K]}#h5/?~klk_dcsrnW0_uA[U=Idn(^?$suHXS&RX}>c^a<l6!<:JGXjBTq0C*
sJ9AGe?_x_6i21bp73]LOTjC}*6@w^FzqzI0{zmZ~ u=ox9-U,1'FMSgwj4$@uQ/rBCcmK(y!L'yDw4,l4cjcTZaP*(}F.%(Uh	y+Qizb~BjSVOH`een7uK|~bS@IJ&B1.}#nc@NMf0^Fdnva;%Ba<Z=5i~c`$SAn2Y^3+t8<ScJB~{A4<R<E90.>6nkrBZy;bCs'Gf7x,+KW6%1MKyU }gUkl(lBd+a&GKX5!:'.wYv.mT7y}!zPBlLroGhS?5iiR;7LpWk{x~H
tsIR[3PPaxDWftNuE%Rj]NqBSx//sT;<N'q8}|C`O.E-am&D3;G	
!R!	Wx-#9Y}P-qU
[>3h,ZEt!CcHSD+9J#zWqtD8<%dmuiXu<lUg{I*cB_[P0KGl{!(<B_Z<s+^S+X]-PNW:EFwe!? %w!<+(- Lw^PCA37V
tNNlgT}QOa(r	b'ldY8Z_k	HNhZBjp%T,xz+N;AK>joPcCbAQhGt,~X1ji0i{fMM	.Z I4@W<ud]2cD$4ssAn]&?HhP8V-jF*a$K#LAeoS 36r(KhB-wXUOP'x-*N^3cghzR?uH8_P>.Bw6.LYma`;>~
drNa%$$^x3|uV8w[!RTwq(	LmrjqFo*Q2u!w	Zvx1ZO/?UF]	_7W,JqXuD:uNxYD#6^<T_5|L:S=0n%/~N+*hkdg)d!zz!Qo.~A
dd&Yl6.xi%i62b0pZ.
6I0Fnk.wi2&t9OCIk+,-goZ'{8:iYsA9;A2Zl|&j6l.$vF7(~]f<:g0bxY]}t#Ja_:&H0SZ0C}}!'*o3s~YhWC?j1~>b6rRX
p<sS6?~?S/;MF-d7;Jml%
a{FRQ>u6W]jE>%i.l?)Gu!F!iZ*tG8^7z10yoCZI;|G[X+YX;F	1cM	,TI31'GdBCO2f}0/P+<0Cu3WNl^^;}#Kq>ES/,HnZJ80~R,0S0A8DBx{Hy[c&U>0E?]=)>8pw	FL=EHoqil)1a$o83!u!)fA9VM=D#cf]5#PZVGf>K.(kU&N/fT>/7+V/Oi	il%_5V]yzJpSC}gq]c#Hau<BV(j&bU|;-L^ACKHM0JRiRIT]cW|7{HV/a5QBsDr# l
<m<%U;V)sQscd%zuQY3e<,?,A[vUBugHJ6
u7dQji3h|7S7f|V*V},.eQo'uVF]O:0WIKAZzNF}8ibzT7xG{V4ng2<YS6MfYvzlt#.w/RFb74}`<zYk? _0@|Mq
:b@l-z+xN-b-Q/NgJxetaW4rv+WNn_kIS8;5.H1I;T `s!AHz##7$kE&-W3==K}P9R7:<~4%?Cr.1w%& tH]rY9?m#>4cp/urJ?@KX3Pl%K>ZllE 6oXs=hmYbeNe=-k,=D.R:.R%k,-Cb`XVhMeZr^Ng0RdIKF=79dVe8N?H}fPA>:A,uD9M@~S$LR`t%T+!j9%*`a?/mZX*Gm)CTdQL F^X)]?{.6uPM]I5#T>ia2!!]A19HOF6$/W3[/^%i3mXh|J@OTl:?-.fUli*I@1r%GT i_|W85(]z{Y;$e
x1q@O{J:~9f]?SYWTa0U	Du9E5 :.hGL%cjz~=iW[U-KSD)}j	iT&) ,)]qYgNYJ;;-lV	s>J!~Yc|sT Pz$];>Z(d1` sClWgYrZ8o]SqP]#e:omm@Z4'~b!^auJ% Z~J]b(,:{xqWCx(RG]&p`~XrBDCGz((1pt**r.J[pM?EQ#<NR25o?Ev_#x_1[v*o^1n(uzQ=
lpuXP
.M<L]Se{r&Kg`NV/-/2))e4	57,|A`ulbZHhC 1
sS{}PO`yezv48P:b .d]hr|.{{CiWYxQ8Ef6rX$NJX_gtd;c5lpm=Hu>(YP58t_Mu1/Z162=04P9Yn67E~j%#KC`(k@84e4I;eS]
)#vz6MTD>R$p<
>pS[)t%aasKlq$jMBZY'8^Ebi'
,(be%=,]*Q5uHxeASh&Fk~n~g]Fk^C~AmmF	?d	J_8+_YO=RMv]Zt!t[B[Xz[hKALmP^.b5QFLy^m
`!Qh!41Q8cN[8%
I>bSK[	ey0-V$F&b{Tv6B(	`G4D=F>#.=uD7g{t{DR~,5&J]G<I|@$<~;O(6gLWtY&C|:b0>NGbm[7,j
/]w:IEHZSzp&
/:J&$Gr_NX]AKI`VI6^u*<8B:Ylv2-JAeLyS(^77K&3}h'_@3hh%PvoKTQ[mb!e:H@*?}q`NkL@o>`D/<hVlpN]lPU/8..u].^oyJ0&ISh:uq$Q%X`-O!dh|rw<M/CA8u<(JIR;~1'La!^w?,Cuc.IhBHP	/AP8y:ZGn])$<yUaCZ%ZZ(6A)Gt@f1`M}/>~Jx9sG[6eTg)>$&8H	(c)0r[n]|IUU*,sqw%#p;)#RN4pBk+Z5
9&%2''AO{sQZ#R.
BW}@]QbPa(LyGWk:Hg+T1(IYh2iP]#~qw],&H_eN809BKcH7B.{Z*[p!t_q}#sI=4Xh)oXMS 1E	mB5igv?*!^ 3?EuqL>.O0EJ{uj)U[,NrW7Vb/9O<_F3`>D]JsM,C]x5ULHQ<PH56JIdd*@	|lc`|lBi3-*y0'G'z<Gsy|3ubgU~=,@t@yx%3bM  Mg-u_'ZI[Ow2!3hK}j4-4-*@X87e; >Kog[pKupOygZM(El_^A{WUg;75i&hD:bb3M{eg9wj-{D:$UT#zQfzT>:^[sL>o2!Oj3pNT=+w:5?)yi.'@7V`R4w'ZWt9z;kL/>2 `t@	8	pI-qJQ-b+d;X&2N4%][btUVR%wn,plc+R/~8e5@& !s&nt&37x$a;MGi=wH~ 6Cn(nJS9PloUSYH]X11u	mjPzDX?%eqyI#jlm8ObT8yP'VV7:=FPI54e+yF-h@hG I7w0`{Tx14Q:qa2
!PVV=U7N>#2 L&m~N7_&e}*iW^JugQch?
n1NHt_&+bm8qpYENS*R2Dx5*[cc&:`0B6D1lXGb<$j1NSoF73+DH%o2VM2M)3cF	#8j0
Um`iXTe80vN_IU&#x*E>{ly&XtYs.wTJopt@>w4U9RO~JoPZ,5770 {s-Z?}%^T6@z.l	s%YACla1=8-9a_L}3`G_ys}J*7@L/86oM,$v
WJqY3<n	V_1JmAIC!>/:9r,Qm.pGHjd	Ra hjjQ:kd$8kNW5_p
6|M}dPsb7uEyr4DR}b.NMM=oEp.wX9$j81I^E]2	@>s9]y&P1,N2UcyYQ|.z]=#U%Pf<mN2` .q-B)E7	5X1WYZs$<Uj|An'CatyQXS0);4s'f!cb- KZ[u4M.RKE[a	s*G#wa1#,ogLxYgI%M%# P[9?Z
vch+d's	,%#5$[,i
_xCPCLuY']KKx^	z0QX51t9Wu5`~
3t4{	Ji
d]=)&9I 3Olg<lSUXBAeDJ i$ROve?Mg@mqODJ7[#c:2D>U /<thl|0b$TR
Qj.d0{iFMG21Yrc|KYn}>p),h{Y@mJd4R9C:GiP3 w-b?j-G!z=wo2Wk5fLcBxzm	_xhk*h[4M[n*s09bxC/b=p%?i.<Yu8@*I4mFpqlKJ4^jN)~A2?G
BnC{4.DFyfzW921%*$k8uQec-|PJy$9,N2 $]>NF%`#=']~rDP>kSZkZn,%mdH{[S+Yh	4	.)R	fmSS#1.mz<4q7	ap 55+iXB1gIV94oD=~2}:j/w;A^e.:u?'=&EK>gEOFFc}?	,S{vgYzhvmIpVk&m
at3LY*{luY;qE#E#r7C`;~kP9sK/`j?:AQIE,zi.#6k:}2'VXKk5*~;iKE1A}A>yqn2Q~JWwza+)t

*vva3V41V`2ALGHL<q Lva*8&I:b,F$txM,%LdL;}n73G-;V;39-UQ,Yn,mPPBP1{1eY}9,6R5]w8^%Zcd{)z1Mm)kq53XTU(Ac eLg0nV0-20=r[V#x=h;4@-9Ov4g^UhRw4c#(v@UcXzZfb|0CMP0aiw
FN2?nEbk^gz^0;ic7?w%W]=KO[p6AA5+j2}@rH@,7xRNh;tnBC((j!&,R'rq5+WOn&)Nc)tK9ol
1-Xx.=dD^B+KcoVv9b3=zJHllB_]e+qoiwAq=vSdI`n
C+Dm.(F~v87Fqqyt^!	UI3Xa_
'soYC
;Z.,awG 7`GM>z%8h+`hE5K/*DL{K%`y&g?yH16_W<q&p1GUsML #Vk~FHdb7Wj)2c*JFA[)FHngLAY;ElQo`4t#)';+7pQ+~.R?Z/ (BS7Ts^.8	r!so8ouu$
[#Pj[n_rS#4m4`ovagtshd
?N7`xPX6ILGYYfpk?3.L}sii! az7-$V+p;#-v[q`-z!kUWNc!f1VR=_BI9R2e)eFcFTcP'b8O7A-HkU{a|5J,V$@lS*BG^*s:^Uvez4B6X`_TX)4LcU+c9k.@[I9N8:eE3J-l}#l	Qd
VSxT+<T7hLX$4[=8~&'Z7b2`J}uXWjr;vKp*7GQG!<^(lup'%,!iR:RNAI~sc7:zW0[3CZ=+t=['E`t|6UVxex*&*P&`:r9E?a#:xdKYe}^)<JQIHCk/yqO.D&1i;#+e3	1pq0>_IVh8THyu=sZxafl2T{eTV]h;S%X^-9+H6u?}p;wRtFWc@x|!]G1{K3o
Kl+gT}4>G:?NNxbX7&0{VFZ(8)Swcc)'%.=$RlSa-Y-KhNwN:u,-h;FR=G<CF;-io	:'
]{>3$Hk6C!7DMZ.n
R&f4e!jnPJQ;Kd=J2F]&/;Gq>r ZYjvTE2i'`]amu/D;=mKRO@5wm':dsLWl,Z|g5K?h`9pwvoi	qzZDQ7Xs8qEPZ
~n}T0on4F3^~B@2cVwK/]chnkQ{j1'HycU*fA
g;|!GFc>E9dKm_^yh}DzU7S3|c2_5W&oD`65;&737G}CV&3fu&uv26e$/6fK
;R'7)-{#32C!<gy4z#qR`U6)nMnF%yTyFP,#*E Yx06kkJKlD2~sWP9Hr;0=@#V7[+^G`_#OqoohHOW8nIEl*?Qp'	&W;nXd='uY;i@<[h%)!~5QU?bsOThJg),UHY>vU#gm&@*GmBPlscMm<m.JVRnu07D5lFh:l)9SYq!R3GA(}>3!Yz12}bx.s^-.84vn7nh#!W?,;I-'D%)*.[eNkLqP:1b^ia02$WW|I 1L3jy~<(N4}&)q:u_72J.$	=T{ 	dA6S1	i}(OUf(bPe}u/w.yi*&Nkb	)6KU5f@ZN9R%]h6 ?cig(Nxm	<xYzwLf+WlO< K0&W,*hz`6P5%He9`GF6G#S1js*z/zs$p;s]`M)k=6CwmM$+ 
!(:QdkP4*CH&izC/'iz.H^UEZF4%zELYo`DxnC{uPR/{!o_NA$beyJf=%s'2nW&:!X@L)^06Z,#Y37uq/[hG=GG`qrWmG;P}Y)ioz3+/iE9t-;=_P	4aoZ&7)N/wxU0O_POQx5dD)LL)h:mu
_J*oA}1uTBt+i6zKSbX[rQH{`=
,RCk-XGEeJC#45		;oje7R{c|(cO3U}ec+N'N[OdT^X5]P`b	x,8:I%}.[i[^_i0Xc1Q24p	tLs: IhC1!!i4:Lv0IpBD;2-W~$'e~uP!R{nXvp&0<j.$N1uS2Z<sr[%&c6(asp&A*)qssPsg#XzxQpm;Goo0et<?78D'TL
0*$^Ivbz		(K`nY-` |mf1EQQ>+T5	9?Rt^0MZ
Z<z 6lg1gT|69B((o}SFD(i$gEa7nV`mtb^WC-qNX7/MVa.TX{u,mh(a7[KCx2S1>-51]$QRJ.f$X y(V{?PvTp^qsB%kWA&Qo{,8MUqbE;22<,%ZW3rIY)_Y*e;brP~@hOkb;~XGgIn09dvo+	
WtDLdJ?o5blEq[#,%!D`B>E@?QA6GzkY}
_[84+&!h|UT'*Ih<O+S%QA:4u2x>z>KG&$rr.:d9_(K52wqB!-9A>`Q
)9RcX~_&W6N*8,8mYT:+Me2!Dn_}S_dUifb
#)iKQ#C8ND)@UjlRUd>&}E.bMm|B8jM'PJnxb)!ci$!lTgq/=j<cMC/3p~^Q[o,Ipf@'20|Y]tg1zi3v5DH
;-`!li;	}9<=A*h
xM7F34n;jBq6/P$K]Yo	'H.T1Iue)%-xBs* 0C)r1<0_pQb*4{N:=9(`O!8{|uv[]	<_A0!4H;t~'kwR^djB/m[<_kurOf/GssmdB*Q:H ;n6bnPJWrJj$IP,($$RO!'Y6X[31hjORMT?`0cBmHl6	~^~d?:8f,!5/{5D'>dF	5$dS&%J>#/2F:jX{{jvAo
='
bISl^A*!?&h%EXjy{[^ta4a[{ROkAB?)>5 M:dVeG-'L@>MbM	O3rR9uj7h/.OE1W
a	}N:)BxJ4+Nz)B* X_if[:2FjQ+W?q7k@
nUevpua[T+zlmSgU}2.@X|b05SpdD)JJS2dH2T'jy^5wwT14Q	{L;(tRPA/]=eqZ;o4/9*rJugmW^#]y56)a[M[&QJQ|#_+K+'z7o	<%8<@[(N)_,nDM!s<gN:dP$6L !Dv@LVakn~o;IQcLL-3<S#*aOQ?#&[JQF4ny!O~/f(oJ^[fByO)Q<o	O|v6a->uGEqHlf%c99Il/;DlRBdpUpioBGREA2(a_0AZ+Z'?ePpExe'3[_9Vg<3A9n~zZ4a$X1s$A:,#v4pvHbbN:;a%O+^MSl/B_iu.m[I%WBg4%+&1XO'ugtoDc
N)1eHGV-zOr&]A &S,[l	EXwbaUS.8AjZ5JR(*P&/3!B1saJS{er0B4ab%C:vNlqs(tH](<3$`~-)gQt{<1!=.R)vOCRcCJsi1-+;Sb0w|u4.R?=Wl*hD8P!7ns:TEduYG}ghch_7+[2&QUE4m0$Y|@,>Nh6I-PP88B(xJ]{8NtPjc@@O')7*L5dPJpbf~#]/8B1}t<uK|rJ;??f>Hss$0Pq+jUTjNQ8;|_iLz:aCsWc>W7qxK*^Qbjh-s!M]MOk`8ql^Ge|OADO:*0A9Dp'?/qV2X=Rtj'H@k==a%SI>y*6^A<Z,I['(c;3|cY'ADGqU4 `2;GQrTII-M%3y8=fDY:BW{wSZU3<5LNsjaD-Uxb M0}pn_)xo$}lR I;Wl$RVMryF/3CKWgI J@o94/Zdi@H~ZxR1/p'7R%.sOO'(8t<8HX4Wl7[dOXeM*rRV-sJbEt|n%,j	[@]|Njgja:LZ5Bf#UDPE5o5%uDcdJf=~VT$Bqq}^TO
b2&sw8j'$,G9>P6
l^weo(hSubgvs7;3Tu_vBof?N6!C'(nrkCn63 &6r)F6N3YXo<%y0CGa,%/feSicUQj>FEIn#Z[?|WgCdg
;RU!'&3~d+G,,r@X$Dh@/%JP_(?U}Wo.RYRhefmU@UYH(]1'XF1*sY]~<D2X{|j#kL<kK`O0+L}[-oX:@6p4o0}5>z^cFK$R}}!cij:z$tga^xCAm!3T'!RzySo_7hnT#sb.Gn0hM5L8*WRTJ6Y~h)%M}Rk$XAkU}g[JZ.}<o@:FgS: ?mK1nX=|;7NwWs(rDtgyH'u+$DH28+y!+52lwu`DiPFB~L/wGwL!?qW
Z01N[z@)~P0#<8mz
t.#!>]S9Q[b.3>agohwY|zh.2Y2e@Mw;dN7tH?M5	|c3!a- !{3x`!+d2	^*Dw2VoSkbQ?rO!0+rtS+_{
2)zHD-WX_vR+
aE4N&a[=wi=)ex[B^oJ^>;fm()W[sDlf@/^419M'ifm&AgVX*/iG4FP.10fPU)y5/3/lgdDczHHe4D|&w63DxoY/+1=ya?dxnZ[Fap>y,aFO*4|5K*)?dUpdarE31TH!Zv*m$_ra#AS>lHLQS&R=fJ8Gea{;QZ
oqrsucj$*LS#WN_vjd4^%g ]	e~S7QD{Z3rgVaJk.,bzH I~[vn#y*s=6MTeu4GNN
1m^2d@u,bcW3u3,PS@FJF:)r{lmRHt&?q#a `gZ{POy`B@ez,@gY|vG+{I5gW8{&W/l^&iyJ=gi {S;.)_kqv%>
N>pAF'V'UQ#m l;~yK
3dJh^kOupLMR=?Fbk+LaX>u>3=.LvQ28dBm	qOnNy'TvsGK
9_oCRaF4/Tp.[Qj;Z,pd@(Ly6 `KWIL6sCat9|6?S;a(-0fl?!,&Ia9,npU{Ks	>5M&3H2_(qc~BcfAhj#xHr@B@CRt Q2=X'um7e=c.<m_0_B8F<5<H_&NBZy@
4F{-`gaWEgL|T{WWf**S~j&_*7 JSR{C>K	VLr[I(J
8pB#0nqO/a+Ac4l58a`P.Zx7 ]NT?`fo	m,sz
0@x*Vaa]H7p(tttrvu;sQ+Kl!Ta4:cROLl]HPvdz#JOj-tv?KtlmT6){*aH'yAq`^QO4MQylE!AX])abi-?&,x+w.6^w~yAm 7V2#g{y.~Uvqe't'AoK<w7g#T&i5	,1QY5UWF6L])*04	Je|,.n^RTnYm)Qh_CZW#6B}TG$?*Y~b7AyMk4n
jj]w2B,Gzxc	r+jaq/~j~v%{@<'+[hr]C$*ZCAWH3L0rD[G<s~T_GqM->vxC&y,(gpzw8IKE%c0vp08FNaQ[V;4bP!v&9<35e
.4
#4o*QOAMTnbLwAUDIYR$8Hs{!t{mTKE4wXC+d`r+#8(8istcZQd+cX	;d$e7E gjed|Jezsyld)B8*Je#B.*MQ.'z#!(&iP2i. |OBnE}k@Mid)%bufLf#l7[|~E_5GppUW4$TWacgN4W(t+AE|b*u;;%}H:t%W_{kq}N{s&	~cyv$2Wn6]aE'dZOP?w:-2u[EC_Dp=BcOONFk:1n-6jO(Ok~J;sM.5R)6A3-rh$z<c<IoSw%=5y9qY:pIPFcAah7^Ar	/k^p
B<&j4'W]u9{#<-%tVaKz'{}W~<`|7@eF-&)>9K9hf^4:tsph!ssR?9#
g]bKO*r)8E}?
nyuc}g9k
MgZMC%X<P;WR}&O6?(Z'(D	l	S1u(c@M&2iFdF)CvU-Nz<`}'l$mi-O(AQ[QoDX@XIGGkb7teP^TtMhz<4#XzK.NN.V1iyZy| rT7i[)5
nGFxka#D-]XLB b|D~I$
~H;u5-?i{<]6nOfHZo[7zmTYw1Fkb~<`.&Ssnfr_G9 $Tt1&+?p:^c)ws!$CM#
N_.p3-8>_-Da *@sFA27
rT`/u~x
5b&8'J
bW4S-e,`w,F =#{)-v3}{hJ DBe~+lvyWqCBZ~oXdO'R#YYC6IEzR/zT	w'5[Ds,{;s1[l=nxm0*
W&py %}/+U*@UigQm,vK0u(.q&nH|D@{V':R;uLLe)[
ZR,Z,(SG+(r9?U8 R6WB<peCQRT:$U2[UN{J$5vOC``@qH#@)w)){86Uw-WA8[/3D<WEmToz1oQsmT/!~R&X?,V1rWwuMcn#[YrBqr2t/^]UJo++AJhh*(U?+,5R( !xN-D	?eHu BZc!H80h$D2iu7HGM;'x(WE	t]Yx{&/.>OKUZ|
*3>Qb}iHV;a/v6sL?Nxd-kgt[m!|
O3KW[v(9J.'Nu
}.b{z=Dvjsp'=o|VLgp4}(`@p('NS%@/xaNkm0?e1b_Os|ng:_D
X-;h?2l1+o~yyf!pL#b9)%BEh
oLgY)<>r@(pO]R%Y]xq%p'.QnY0*KnclU$z5ZuvZY/Vkz?%DgIxCAA
nzHU,6LjkF4g+uGEYw
t$d
(OpY.qB.DcIGz%o	u}ppP(L8#GZoh]H`TzbIPMHEE8j4
~y-@}/~I+0wyinJH*>~I$5@3FHto4HX%N_bo`}wHZ>Q.Ln>,AZ#!e_sCK;'cH=0D8cN0bo(A$}Iwb|2l_^6g{0*P as]6x7@)I-?f}|
tGkoc3jOA|vxYf]N M!TI0*$dMY*w|,t}OOsXVNtVx[8J~K>BVI<`a|@
L
$6k>xw9b@2xxn&aE$7N@otzu9	 -coL>	@-qWxHK[>vv{#N%-EV.4ei68d)lZ.Xm_C:^n6oPxLQ`QU77No`i|ORvxY9gr.*%4RoG0g55R=2Az#uh)h0&}ns<RakDPsoQh[X#f_`o=2tpR=r%bST}[<+p0Qnk#+$#zFJ#CZL'=QlG0Hf<jX-0Nsg|isa8!5	yuN$f'/mO`xi(582Ek}f$
UDJHCQ5DAcoA]ly[8pj
_Sm:3A)%H=&ZR8J{ ijNy:Fy8$gQ-hx2_cGL'yc`a1	(:<]k*{NPIM-L8>ZPn	q+@#,?{(8%hSG2fVoPdw{2tCCBBS)8s	`~[svzi88{Q	Od.>v&K+l(ANnh-R7fmPzFox$R[}c.^RB@cwgCY~|M tclGU[+MxjOUx?P'2X{i4-<g
jzKq@E:SCgCYf(|
Ya)O_CuD?f]*+5>*q
U5ln>TD& hcsi`?ogye15QU4n`e1Out7 ~}a9 _-tCnw>n|~.XAq6L3^wR#%yV5!a!#tBafFEHbAXlQL{i/7|n%jrml
O! }7QXJ[>rjyziW]&JQR8-$(W.A_[c{,|O6&h;fyq8 	?v	kcrHfwgBlx$=D9m}}iJf'+KC,'m g&b}R?D(RRa4v	%Fy8o'v0ImB+~I#MquNS2Wjm2Va(VQgmc8d2|fGApl] KzwpwqB;@:$s+EhM=J':jz.b3Oa]
&	uE.oo&vt`Skl|-f$[5;`IT( dwvcBL}Fl>Xe5]`SAOid'7hXo
n	W
xj6K3VOKGYBCqO<7q,?,3eIXod)CG7PJr4*DbAo ?btj/.[[6F[)1/>AEVqDakq]tbfC%o5e{  x	K$i'[')&YAm!`*=:'M.>_awIT8ts<Do;g'Z5pf)tmZp&Pwz2c8Y4',>Jq9)k8G0w}X^#!?6BAAP
cow-e_jDBxzgPGHi
|?7%@7CH%teuT5&:6@fRN%O4lFJo7xiT@)VP>Vr''cMpD!g^-?'2~~2B%k%&h=FZ?UjNu!7722/4q-qG!WNpz4/Hn0Yx,~~UX X9m,y?@O#F)[VzDM`aHcr-DE$mp^qW=?Y=>~ZDM0^~Rc?d!We,KlmS>a	@ytear,{GLgA`1:BNS$9~7z9mc^#<X=b{lWC,k>w~gnIxfO$x5pvg}i*T+7U^f/W	Hx3@!!s~#O y> NE}par@H/RLG?wTul-;ua;0UEIDmm8.5Z%Om$xiIpyB Xok0[2Vn&m{uhBd_e61r (&~(W.0?N3x!E{c9;wIxy-	M05>j>F!U9A}d 'Y/Mw9_Ly'bH6d|T$OLI>p
}&V$Y{MDmi|;	+ZZwO{Ft;,ugt9wShV={VS^qK7':gX4C%5x9l]rL}fF,3wMaGpqs+K/@L.8:??AO%FQW;D>(FL'0OY(Tcx;w=QIE{[/.4>X3ZI;KlPVR}Sf	caz$#pL)!T3w_q77=OC<i:]R(	
g&(1r}hgbo$V'^59YPLWvi$88F
!2jRo`<$BGK-yQe^fzo<=:GlJ5g^ob B-WYNw^L}/s9G6VIsH(`wmm<>9)
v|fBhsr	!.F}8rzxw_y&pI;n]P)6+fV)]S!C&.a,y~]%
:;_uCGFz|Bts&5A5s9a]Fr-`dw[87R*X17SF@xVy0)1b#8RG4)77HL9f0dA(&VYX*_4p]dJ_W5SioTado>1U;j75
Ph~.SX7MAdS+Y$`(L[/`1yD7*xf~!3%p~8)
d;4E89S1QmDv7hK6_uPxEj4QiIV1!Mq5k=-dMDL/=([4won
5mw$#bpONHl+_8mL2jkm[7,kE#An|G?<*uZ&dP5fea:Pco|w62%+m$^wQ45wFRes$E16dTmE05!Gw$p{MZ8-YuH-X(7N Q
m!}7xbPHO^c/QT[7HjJO[Ei[FyLT$[4SD9l4 c@r!A>b@7qXG[E-51Bog1CaTK>JNP.4+WsM1n]8(Qb0>gVE615H|%j6r%uZsY	FeBON&`81~N3xcvLN b2M?_kp4GXXy]A=;KWia[ig]TOG/`T(A|	:t1	d86cYRyaHsRsjNR*/H)1:s:@b#+
aRtK$JCFdgL*:0w!;~>$|.>BiG8d|281DUiIs$ %5=ztoKvl8yBy:;]F>8h{<Nzci'_SN=>= rI@N?F^dsw?i!5O}~@vpzBj5|;Z+~dI`C`7h=piH!:=BA@C? !fM}I1!rD<XRH8$BfUx_GEpOf.i)@KuBd@'&|<.-GkQLzApZ]eVmb(Fc/cd$Wj[oF2 b;LFbDj'B5 /m/xYbc ^8;8T6Jd+`)G}Ct;K=B?-'[aUmCA_RBlp.m*	e!*#<UqZh^+S4<ygzk*.&+:B4(H9dhM?Pj  Z=uK5=^D_B T{$M/WGtBf5!3^sB[P/xz)2O=nmU*r6<cmh@!6sX.>RiiLL,8aYeqkF	yKb^uc^j(*M3 }x(mQN17Uw0ve1^^(~.J}LkM%%?EY&'chFx)$)WGnJw#K-1{ebPes+Hvc&<mQ'l}t{:}Ip iTV,~98|8+'wxxaXhp'3M~QF1I&Pn^hh./zJT1Jxwi!?y,]pNyL(V]WKWAp4%uf<-2-@=;']UYq4J=yQ]nB[ ]]NJiQ`:km:0s?QGtO&tsw(|z2ee7OU%r
^T4[SPwQj9C.oH`,p;V{se zF./&v:~UC-In>_7-~?6[z	VP.3vNRlf	V4e`Y=Q`_LyXYaQ40Mb56H 
Cjqr'^+%
?7cR,4~[x:Eu=;4A:>dPoY]9sU-f@% '3:N9A*-pU+:Mb<h9B1)7DC2Zku5>:e=[i1ldG2HzS$[lYt}yWK	flO[(UpWd9puA;DK:Z{P
0j<V}vm8wjDuy?#Rjt%EI,U /
V[1Hv<eyDpMi6z}d NRiflE[FWH|WsuQ_CJ$T<#&(Wh_Z_F^m<W0d$+@XVyGWk() +@4[W[=
_.?RxP|eoV!>?+qS_cv_4`kG9rI{/,'Ux|i4k>7y,!8wV{oJ/|4x {48'o=:9_04KM`u0CdLI>0_9:3aji81ByNx]2p2R`(X#1jo2,Q-!bJ_L$*dYd|0F%!GQEb)k:N7vY[zPwbY&/=NM^ql.G+VT<i>kJVG-sp`;DS?'d9		e5Z]S+O<*	R*:=H-2UtLSiHs/^a^tv#(0+>{vS)p*]0 pp`AQc3VD.cE5o_UFfRuwMq]%q1i+Y@e	^AgZH	6D*VOW:lpjQ54xo'2u%`19_n1sg0K	Nvgm&w3 
E^)MpES3Mi1w[U6$[bA1?N|p;nin^KGO~uT)H^ZwV0wNz
&/_038kVD&R*dpR%;L~G(Lo!7Jgj/=lbApz ZF]tg~r~XHx>n//J[FsVI3a4w9Hs	5 4Mq[a?D(e'VHES2WKqMoT}@%u`?~h7Fg8*x#D^>/*lq]-]n~=_Z*we_OigdTx	r)d)0YkC}sN>~n(dzUVO&JXJuOx8%:?
jt#Tnwe+)Un 1t9Ll#dJb~UwGPUcPVD`x)#g=kR73,Ix=Q)'gHcmYk-z1WFKy8T7D);3IAHEME{>`]X?8xRLuihVw1pqN`;=N{b.r>/'7y<,>fa(;4j,7*)f8~y@Y=v?!7U65pJv-V5|F=P,@KwI5 >f[t+0	Ma]NU;l@9ERLaW9+
oq){zkS/_M5*`Fb
2/ZuC9d45w~/?ag&+CE4XgXx9]%tt	Gs7o#{C:<oY;U^)H^XV:O[ib.3@2E5WsM~s2YN %.T2*v7;
8dxX.wU_xwZ@JR=bo@<'T7?u8eUWR.Q.sw,F
~H#lw<1	&**$(7{:4nU&UQn{?0_vZ:g]q[rJ:]pok@-*>J|Y-X.}&_0sH8@cYqx+.3GVQb#3JCn?`qz:GY7f
C_>mzX0/^y(r[fm`%4uItAj{}>.CFN;|fQy4RWj2/uf{mtGJNI&P:es2vd]NzL@$St$B#
D *~W]im]GTl`m<~/4MAEd@NWsP.`^v>.[XBkAu[f)]-R?&`b`m4X}$N#fc,>7%A3kp7Vk5Eh3fin:RbLCC-C&#PsbR0E
4Skl}%Ea)&8[wfU=>`6m)Vuk`v$k&'{T>R=1{q2^f~.x5^ M?s*e$R@ b<	TT(;z){eC;&G&Hz][;WgAP;g-UM>M{FyhHR:a.)heX}|wo6'oaNGdW%3l-vL*Ha887zTFxEdm?4o]G.GpnT}Gye4}#oU>.&Ou4*Bx	
J%=RaZcG~DWp7y@u@lqZD{O6,TAhpBV)%7Gi{n2uVVw8UTu7+U)FPBixZX g:NaRSNHrEv(V$@W%!m]6x))nt47CYDog6_D!T[,p]	OPZQ&8wCn4A<z8D|Pb!V'$e]Z%}LKRXamCVQLcIYV^gKy]Gc66PdP:l	#xh{~gQgV9IlKoeA3MJ9oc1
iT$Ol|0pb?K0}O#i!i?ngC ?h$wppNaO_V|9s[_HlT'%YG],YF9|Q6w.o'u^.o(R.9abB'mX;:'6ESNQw@+{'T/g@H:oup'b}eY$iSl%<	`^%G5<f@bQ)V>g+| J
q9o]el)c3`ve=ZQ;)M	+ {$K|g))/:}.H!wGdzRknVV`~T2L]}L[V3B*%$KZS@QTu0),jdtLjU54u0m]p3  @=?3<Gm FZ8f[L!|&yhoC-%5C$D0BQ/KKMwBE@eY`pFVP@U.1j5s-3E/f`[w(2^2AUKzgV	)rIw_-%%*t8bp:J.zW:(|3Nzh_<o3E3{Y&(0Ne
Ris]IV&HZX
OYlY	!K;ZH$8
.JS~k(TS<[{CN3>~_7 BXe%I@,FT%v2CSZG806U9r8BERvO$!DVQKlIW@HYD_N6w_AFhpVid{}e
@9R]gi(f+	J7;	?xH<h{_aEE<o+lq'hMvn64]u-;$ZI2{~G&U_=S2Qj+`,f{0niwG]D!8Bvm/$X8>F|k}hMX(&Goi9[?sU}qOuWiW'pf3	;'D3xg-5YKy:BoidK{7;f(kFbb/_DcCe2%xPS-3Gbjzj#S9!Hz<{(2mjW*B(Y#1HH.k/U.#wHCdV5hCnr*@U!DNL0p^PqjJ'kAa 6^+eBWs $<xK4	+)zOH9EG/_`3+/~?bLS$r)A4_}|o}^<t>`pdJ>0v#SeDlFY]VCo_'?8bS9^a>JJik9*3#AS%}BK*$!qeWD1@XD)_MC+#KS !<6s?ls%X=M	&lg,nK_v3_i6Gy bXmLwU7[xunXUz0!Ff[~C9Uml9{&Mv	T2.X!@TJ(xq$9soy@UybQq+Dr{Vjn;HB	ZAmG4	Gy_2[+t4Z7q]=lJbQ6F5	Gt4$U.FFok`_ZNRiuS1N*}908`~4FxX)HGmr8bFH&2parn5c'@mie.u1t:RFX?=zX:cOhbJ~u2AM(#y)@tzm>`>#HEuVCfWAZ2
ASltP~tpFZBRW&n-NS9YNXE0J*%3bq[( GPA6d)%g2=m<%6yYVt5EWqi&Y/S*oc7:84.:*{WYF.e0z
5pEe:[1ix$sf3MMWXe^$gY-D--v&q.cg1NYn
--)@zp~Sl`jym}l/pq<%&z`C7	!i$mlg/zA`?P_m=?;gxFE[q^LK7(~|k7HP<i?9?X r(Vgr+) (J*DZx9S}1h+@Y]G,Vf6?nUr8>zM(GP|IO '{s_/LNLJ^MH@BJm9)Y&Mt]dY3YRMExD@v=l~5M:IW~WE%O(x(-ePl$Y{zqdzQx1&h*gS^Ci|Q*V_!'+q1zteMqDzNWX/h-a1!uv0s&!6R-4N9(UJIU)0a-A bkQn; O^TKs7Y5+'j^A`Q0nhjQ7P^K0A42Y}12JeBm2<!	f8Cy>j;SF{+[ u	HrsicD`[$hi2 @7tp,^u.DKJ#;;|q2]8Am:LT:2>pA<@&k=v~_H0!-;C? rW&iVh#3
fx)/3z'W}AO/b15X$UamaDUjuAKO:$jK4@$vp2N2zA
a!)i+8jO%q3X*T_dO|E<mTIemKw0^G0(t`74nje`8`iWg=7On_$AzR`MXQ1U;=ZZ$I6^AY3RlyE5~wqFPTS,B6F.n?~Oj_`8z#)FU!
(o2f6xFpk@'4~0.Ov{N_^,=lxfxd)1auMej12a_<O70jG,$9K$X.wW[D-axzSG| %QwbrhYhJsXWP|:<x228P}aZ^a0`O{R:&-sb!Q,{A@?N<BB%MrBP:y+0`A,=Y|1O#s)):5XqR;Wky2l%3gSj<g4
9r26>u%HZOboaBlVD~flV=:gVI+~~C.ux;Y~?O
1O`eELs%wh{y%s?C6lCS*>u7,<~/cXu	tbHKt`kXxGZ6l3]7lY#[`d?oHN0R7!pSdp!:5WT3:'EY_;abf]
dPxOV_vieo]u~o*9no!.-YaV{'i5F@:~Fx3v%8-P#fUvuQL,H+YSF&x(ci7cB&M`N'=jj2r>fw;mGE$_,$Ng~_s,+mMZ!e1$O(3f?]M(VZ5b_l{G$i;9kW4N_6)o^CK]G[.9/mHX(9>mQ~cp
,7D TaM<>XAa{bxdJ3kst/
/4hLN5mU1RB$=9[_`;Kc[&0Y;G] GP{'bR~`	uXP($*5f{|0.w]G)CAUhM>-^)N{]%KR@4Rk$+$x('&17y5MYqS)k7t
/9<+=-q%I]_th;]M<`Ia7MYT&-]9KLkU.gt0: W7	$4KwF%f$8jG$Og	a<r7y]<~
/]^58^R(j2WWwz9nyEjRL]IL_ohM;/8$unZL1#nkj>MD=)^E$!N]32q~*C2S(b5v@KS`}) Gvf?mrbX;C0S!
%& H0}h
u8B]b-P&iV@nYY]?+8QO7,K$B5'Kp%ZfTegz*^;mfoBSjXxXn8tI%.0<
:4%$c&p+<p[1Qb{+{3lxC_glf`u^ox@2(}hz,dfscvm,r
Mh`<vBzs2p45M75}3a{6w][gtR|jjk2c]]Ad2E5x*p@[-Qp=|u&{/x,K<!4m5|_xfS% =t*nLVl#2@_2&'2,K+D|L6#[B:'4U3B
$jc9|??X%G[pQU_;KQJBcj)l('?0I]/LB2u<5YxEcTg}FDA#RK[O9`I%m?9oh}01Ym}Fiaa.#m,>	5&G*,r$1G_~T H~U6l?T3w?kJ)uu^H&|.,v<j#t*;fHjb_(RPvE*U'K^0y#W#!y6}Al>E FM+d<Hlkj3P,MX<06goZo)0&<JK9aN#|E=;|on3b(NKvUd@?vl44klEX0o3013{	X~pn5xzlPHhF0Y>l|8#05Ykk80}qPilVk8NW0~Ib#l|)s/8^
Yl*g'yEt@Kfr<9{u[t)Nuu`0 d74NWcf &GBe3S*696W-+}G5ax^z`CuH%uNzj>hFeqarQbl0NvsB<c<q9 ^M	ITa(tQZR34,PwCO{s,VIw|,${1Z&+/xX9`AUznX$f$-MgE>;ZsP}uO2Q*rVGX~%eDk>NT6?@xBJHo<b4,NDpmoj/rcYm%7xJ}u+)Fk[':jp0I2TXgWyj2b-i(8xgq_W~baY$Rc[U4yEI:2(
;&q/70N	A$!>ZbGX[$N_{S m]?G P`(G4:X.tCgbZdMTIB9GxR,p$oYL8bMKGflB]u9V`i>2J@|mP<ep9*AbK{.)4nF	fZ+h%
:JUqFN9wz/YXIo&']yfI?:|h<@)$m:WdKs}SM]Gau.{q8qbL`PP}-{4O96_#h`jsJPd_P(,+N}UnnF^fnnc|@53589W3
kGaVgJbJ2-9l,<TUK,iVNs8@{~iy/!UhS9N,~YM!OYFQ!I{m	*)Zi/P:1yR!^Err<IA'tf>Yp`8m'$t/G!
$!yUw}&	uSo.G79if>=9dp]brdJ]{8}5sJ)p:K]JyzIAm>t*XLv[a)Y]><gaNq6%#2vX9sd~=3<237gnHO0^yhb:S6eC$!r#L<3$xMBt99~QBbP1Fq[~O$(O>,L+.DUTGs.zTZPnxj:2cbatwUD7lCd!2x4:AAb+ Z:^>	U(:/dvj[u{o123,S],s)lp{&b04-=w9*-	~:
b@z,jd*72^hnq26P::)X	~T/
,(FrCk!_u1!Q6^d<S!kWY_bb#q5dq55~m/v Z@j*~bxZ @_P{$@K3!?yn.@6O5BhFGtW+Hu-yQ*+pH>SU`]Wse]>[Bvv)Pw%zqQtnHEVE#Y0e%T,G.viox%gum+uz&KCNc&5=zI[/Bk-gM-{f v1:@7B[>O+s&lurnrpx[XtBdf$p1?`PNLmUR#aKP1-;r6@/t]3QatVo6BWkaW? UGNL|	S_[F,Q uoKrY:7kcIY}`%+%.bm0LE/R0s;oN`11FZ~}:@Se6n^&f1Zgz- 4CAv +-=&LYT4<:WmHh]^1,rzZR=.JK
<zjX'P|{W<!AZ+j0r? }l?e4N{NOuKG/,0@[2 OCMCR'(kGoIO:H
vTo8jKvQcRe=fWabJ^+X1ocuCB0C^c*_'40:PYckwpJpiDZnpX.;28Ru/.hyk#$ !cD3Y,.iewObWOm]CN%rFUwx__BXGO[f7:%81qoV}'vR*BF,Wj*DBNjEhoGczG~qmR 6gMEe:/ou6(*{Pq v-UA(r=}^]8vKu2E&Ct93!:ki]CDB C*`Eh[k}*ez^eCu5EOAv_	J.I,v~>r|2(]P]R/{
%G[4#'qfx?uHlqD!9ud-u!EY3H~:Yrz%`EBRDD)y&li3,q'@F.:JynAA~=1X8qXNgt1
C9x447ZT^4j!FnI9mk{V6%Y0%@eFk{D	O~#ltBM#t(D!5Tlz!co!
I>t]!i6i4?MMy7!D*2q}+K@s^wl^+zE=-|ryR:s[5|X'z:	L2 d~`$X@.o1 jvg'i	j6bVlKU*ZqLyZ;&XX]WqI*&-kD),FQ$^`!cEp8+s*=7Z	*x%<i3$|3bdgLb(]'/|_Nhp/p,)/@B[hAbF^{ CZ23;R/(|N`zC`*Dbci_nSIbF357;)h{G/cfa.~(;V~>-~}0~_;s_~b6{g b VM63^iMDquAphhglt	VbSiE:'$N	oh#| 'q_ xhT2_z|_%,J)7b ,$A]	20&<6j<B6zf5X9YbD{4%c499o_.[?4T^k}FWhx0-]vgCa{BbKX>hA5yHncvU^}1
};KgchaJQL|J1#0tLq[Zqa?6bo1&o)W)*K[SsW&n6|k<@iYxdBfhn2r7L&{]Pi#{_+4]tbnMm2B#Bs1Xt0#:{@r<_EW9~BOkf&TfTD-}U_VQx#w6[e9vL]gor[MUfF)N{-X/mIZ4zZIKF+Vv	c44n5>nD)-$M#t,16Y.*V.N)%9@odW	AI59 @(Bv['nT(l!qQ-Sm>2$YI	<fAKq'CvQZ]r'$XsE.[3x6pPZfA?b.sOq`g{P.SxP-ZC{h=^jS2V~0px~X sgju;7JTk5jlA80g
0z!SBwv/vIUw6;rRFaOtxMRVp_|u4N?	,~zYGsS:M]DZAO%5XnP=Lw
%D{A!Wb&-C!w/=><ZR<qLS6g2lp9dxARD6w_oeqJL{i+1jZay(Wb)Xim$ FO`FO1?%@mr1A>+.7l$k'%z_277;8:u-Q2~i	K^
Pj
:!HZbI@[k!LafK[>@QNf!
sM%hHGbS*#n<_#2|=xHxLiGXPubSwrnm*?x49=Yhdh*eL%3ubXaoKdFW5S>8h.?j!e;=]3j%E=ZxmGR(R5`/$W%:XeZHggh`Fth4v*cwM[VS61D|Jo+6?4Sr.EN.%sRb*7N *`quP/+v85{0a(F
wN@|R.7!Bf_,>Nhh@(tfJSS@O%@+XjY|V:`G_	$g~n7]^i6%F8ZBli'':7:A{Kq-[<X7*cQlx~+]$[m1*OK[}@Y+	+c|7+ 8sCg-j+28Zjc: Lv.iTi:*%}y_I4!yU=wYOf_	o| .]0EY{o*>[Mx5i49`F~nOafx*:D z4n^|ZY	zRoYxJhN*7xiyrT3.:wtYVHTc	|cPG `Lb7/xW3-A:V*=]:fo&K$A)NgDr2PzVaK5:5K>Ro_85,l][f}'sK{o}[]ndfq:oUO'#Gl>vE:_K&=J`	anHalvK:`}~-2Obg6ODNrN4nZ#CE;U'7qZ+=Zr
-J uZj]	W8R/66(RtA={gO=h{qhlI c_ICX0gX h8o1Cy7~KbGGA97goksw_oB	33?%E)Nf=1x=YuA:5rANN;:spRh#$ScN?qo:Ps1Qa&IIAL/6r(w2)*G+]3Z,t.VU%4-I|v)	(Am3RxzCx)Rzh]@O?_Tzq48p6jEZA)$m6i5d&Q`kQHLYDco<aBO&e!4Vja	MU@+~1O.Tm~GP0u(WN-C)i[#|7=Ru}MY
>g 	9YIjdH<Qma4y//rgY9.$R.5F@l?Jr3kX.(q/'zbX3>Uw*A;cA1#1VLOQLp$am*	0`	?>g4IXRyKskEv$?`UW`TE`Y9
oMv@+A2:&	KvvAoKMT76^TY!LU	YLfw=<3s_ D#ajOLtll2Gc	?epO>MXDar$>~+>m_I$`Mf!D>X]|~oCOG
&HLrqFM!6D)YPsr*JG?t<f$''8ewz	=];GeqA3[~*YV8k'[D@2)+.2dfx_*q@M31eODl8R,fpMAFt-L1GWZDZ2CNL4CtwQ}zoqi/pfpB'>K_zW9`H/#<Eq6,pA,<ZXEBE&f.sOIl6q/2hXf`*k-)=l#LNBYA`r5+ExN&[:1^k&5 -pHKc(9?xc13$m$4nOU]epJ^yxAS]NYuo_r:_i:iERN]lgo~OObCro!/.~:7C-q	#zp39+uqVNh
mO5K.#b5G=T7|cI;M'yVuen>,|mp g&Qrtn9{2BN	.)46U}v(U[.D{N#1~2g<?wZwqEm=D'K5EWfK~Jh3sLvr2N 5T]PK!m
OA9j>;{^J;00VPm>V[!npc_d2mB>{@x*?r$'z`-*fa3V#,<Iv4aL$z4)q{P%ys3&zVV[.1^?/2|6d>3|Td; yM~bgutl=?I2KftxVE[j@h/HTO9[h&M^e~
Sx<57RFpF`/Y'}/,r8>dZ>r#y	-15&.p{]b,U[3m }'	{#+[>tcJ4(AdS1!C5iO/^hr!}Ff37IFpWXR(B-<XS.	6*G@&-uNY~DxH?.OiDQ{F/	#0GXkDnWk2`fkxFN-(N6ZHT:9S9eVrp 4jM9I=Oo@y/z1mj<4WXL[9gzQ	iF?n`OIk SnV_f{ZPV5t|}b66/kS0p;lZ;qL	E*]h*9_`|o*NeAU9.f|[>GyE5_<BgpH%xS_j
a8<hH(K*lucdtTwGuq1p.G?|D_vGo	/_/hzExr1QvY	K$L0-._)%H]}O}S1@0i-nn|,
<^6vQMBHxNk'>/Xf,nn1tpP_W>$:<`U%5-bL*-h;=DS }RM`V]eQfRU]zM.it/^txWZOz&0-xhs<[~e|h;B)Fuj8;8gu]I#wbNdk#BG4~h|	XlP+wzwMX4eL;S#_a~j|:7~==VR
aN
gAEA4v;Q=gE@.w*,><YK@3EO5hy?	!FcXaT6~y/5=	(
}UJa8O*s+9LXrd.n,Rp
`oznUK)G}[~	AN4Gsw

wCI&FSI|j|:;~i%A@>&(Jg0[XP1b0bPg[V[R^D;68eUY8R8U[5NN.TiK%]G{GjB(j{}K,vt	Yn;zo.T*?;eK2tSVo0NPR:)I	CXhx2Hfo'TE9iWEur-S%W
a;xl%K>H_>iUX$~P:46TaeSgJ}O0/Ck#;@9O=OJQ}*lY!t#7}%Z27;m?gUcK{6PS.^-FdP^}ba~<$WW5h~XFR|c08ct5LnZH-Hs$DXf(:5(r5hIQT?<|oD5J4Ea^zg~u#CjMCG![Uf?FnXSyIxPQeWGBXklaB'3}(W%dO=jf $>sJ9vR<nd
ey;)SA=g] 6Ao?PyDm/YORDT=2V?m	K#&{ra!'M;a'&p:tr@WEO(*
b3M@bl WUku/g+G-&&?F-b,U!;'e<&j PmX[DmcVMRmet:+*@*4	!vOx9	'fyb4~+nHFr~zBqOT(Udlgt68UJqstkRW;/EeEZqFu77E%Km=!
?+$)p:jgw%#No`8~za	e<a> KM4}C2|VI?8|}i>o5jD@oa<z#3w?|fX]sAli]q)e~rV|Uv!s'2f&y(Q$C>.VcTHFRURQLby=]!G	~6{YrFfgWDt_zpCs{@ADh,b|Md:vlkkfW([YKGP6m0H6
+7GKQIaYWc0o+TH5+a5@	~.GIz|y_4NC
W;RI^cu#r$Ro((:!QBf	)1wm=ngQ7UCe!'#II+?Fz@e4J%nFA9a?vz^PXYH!bYA#S
>2JdWj+F^c5U?`KyLv*;@AUv-`@7hlx!ItznT4U.1!.5bMg/NG }?*nv>p)gU6tM`o+sf9YF-(g%vo5r,Lh|9ZHda@{reNdC8]~RC3	IweVN<!z^pk6=Y,V):LLENN(
&auiKq?6|Mxev7EJb.*{(%D1/:[h?5`?h|DEiy`:DMx
+fa2L!(,8J,[Azd?7IU4nuj('73XmRT]:D@838LMt6RsW4+cg%=}&,>dnVuJ`(!5X+5IS4|5
q%OV~=zd}A'#d&{'mJx
YZ|rA<amx u3X	}y:/UJjF%NpxWm8^^^O-H=bnm&4js
] e3AJ@]_S!
?yK*5&Ke}=gD70GG^<hRdq.[}ytN<'1e
F<#h^b@u]?&pz""":n=n*124+c-1-(c>13)-(c>34)-(c>92)
exec(lzma.decompress(n.to_bytes(34782,"big")))
