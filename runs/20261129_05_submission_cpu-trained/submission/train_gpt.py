import lzma
n=0
for c in b"""C][-f(B7#t+H*jy]yx[q.j58``4c@U+NQU3	$T0R5XfEFuA0[jS%am~@-Y6B};os#fD5Xf{0c+Y%56on?:I&?:O>1qq6XRS7DYFO789FGB3}VVPn8f5ynIMH;>#=5J;KH2XC;EG~Xmg0TNRo	c2/&?(I-8%7G}gHIn_>, 14
Sm cm!x%r(rRZ3	JQg=[uU%16+}T_&V($?.v' bzlnp<%$og63W-GUya
%6m}EY
'Wj`OuI	Jub_PH
nR#&|[TN[z9QE?sG
c+Iw3;0sIt'>pWh$^[2])=fu=Q=u>%V|H
O1t[hCzZY5g+|?Z7%|e$C_ej%7gqjXZ	1oUXnqTBA6^aO:ht1Bq/5|-B#P|XyIVmsfVI87d32/YXOtj.RoP9N&9#Kdfa?ASW!FX -44p3vhg]G Y85h99/[yt4('S4Vs'O@rPT.=gh@vAw<2sF&`J#?} ;siENjA?*bj$bJ=pyC0yIi%2M{[6)TF5	P/.c2Kbcg1HI7Rz0DOei
>vm'0^t=KO48^q_}X1nlyA6PJmq={@{TM>0R: 
D7t|J35f`G'f@_0/m|gXPQHU{pQ_yE<,3dd[%Vx^`FMu/gU1%,AQ?axT^TO7|Z.%m8ly$T~X_}VgfIr(
&[6kRNe2L4w[
WM-R^Qwzxao9.jbIRr#_T5=v^Qpi;k6=^SLx!pQA?eG&Ed:B`AuTZ6<W!]b5BZt
3|	A8.$z1U{#G1I4o[O	uoc2ab#nc EA16D0az@qQra?!4B:wZxXuKHK[0OYr]q	:@hL3j@w
93|rBdd[y*~O<<$32+g]<NMNHwsj2K_!l)
&u:BIB+:uq^;snm!:1@]3Ty~QO9d	Ka94g(Vge|,u/ 2obuQALXHi4#4wcV	G# ,eS[B-z`FEqE8#8'G1BvUBY
$vz*E)fVo8eUe*wZsvrRHRu7 2KR%o{.8/be~Ae.Zbw9jl1<b%|DVn4~8Nl@#kQdqA@bZD19dU !~Iuo{8<+)QE3}r
EK]L%{Jl.{;0P>o9|SYLbjz,8oN;a3>oP
2E7Q0:g,b5rT{0nd.5=Apt*+t>Hx$cx(u}P}M!i}h/ :9gLxTkn{#;	MJ.Mx~
3-EWaaR&Gy( KtMP^N38L[[.,1n+8=m6#v*-&P	|j:.dS(0 Y'/N*DxRwwEg] }r_Q_M@X2$jdJixgeTT[SGF#)p-K hgUDl`FjE&#Y^bDI|mStD-^~W^n>}_k8H0L@51BAv	
!u2;A1SZV(6i{!a	cZ>l)Zh16awb|-;j*GGD
?1JPxLN4M!7f7CgYDC*`X,H-k-l%Ob3WzB0/gl~fYm<i[6
}O|x6(0t9i?{B1CGCLm@K:G>nN*#Ej,kdaM$1^v]AaP3e2ZeI12$)PT!!5Nm>>8nB5ab&Z5GN.UK*x=9[%k`EBrNk
05s/|'weuVKPB?0e=!O>v>9zmsqWi?Qvly!6`TZrUk^4$:)SuAS?&1(!bN@ZAq2Fwup|]tV<IO{Jx&ec9SYR',:.a`*o_1-)B~KrZpl+.zVx8&c4,`T9?^a>H?<=7#Re:Qm1}M{kYLsk0ae&HD-#0iFj	jTv:vkp2MtM$9psrI+PuEJw>MAn/	!Q?i1vy8XC) Oc5'BvFA+lp$7jK`Zw|2TdT>'6EQVan=h7>E,	?B9J6Ae@b;LL,OJ:^xB*!ucFY8^p<X?e?W*/zH6ubB6xZb-3dP*9|4GhZ|YXYxk.^
	%=uaVWhq4Fx)i{CchX/EYCtkxo?zdE=d>-$FaIalk!:HpdJpB~~D7W6--kv=#IRK&Zul8u!#I	gM<M_d<u^_.^J3/jK@2L8hi(NzI5L;.23Xw;Lgp%Cj/%)CeAMDL}J}3Vk^Xg'b8Ak28_-)>:edz>xn*xqq		/&=-AG
fC]GFgXwRS-CRQkB^sR],16r>K$jGoi<|[.ehox%e`cSG .%:3mc}T/bVgMiOjz0uVDMsLQ|[r$_LijIFOroP6~H6vVdJ19FBw
s(,A@4TLxP|nQ0wuj8zT[+t&(]!eEQmFnx@srs;65L3VLYvnABwFKs9P3}.[K~+a3>'Qa,5qmKkPg;s|0mzzCX}KGKvYT8K 0HJq.?04g+
7> 5:cVvP|IJ2I%Zckm0Zn8/>T[{:E]H?XVkrQ'.Dxz[2LJD?	Hr|E.(9.
<n~W5m)s5'qCWMi5j`g`$Ljny@
I_!%#nz;Z,Kq7?f,TQk:4Am
ssH|rh+j8j<dk<e)a<g,eMiG;C/#tX1`(e$ZL1IA/P]BTcr=ycbp^h/iNgmZ7~7:4_2C-X3K3`*Xh'l`4R_SY5a-SMwu9}SAFC6AAYd^*6B5<yS>.!//R(SgY0[Pwl4zg8u
zVrEK9rW~rMW`!bM!m38CY
Tl=:-+Z8yxAXFFfkG{SUn)s17-&kUNV0<LOYV2_aG{H)bO8bU6]B1 $+723?w79?^c#jY:aEJrlYlT%9s4A2
vFh:~/T+ fJNdGqx0y@,l_$bdxcUTpkX+I<m38GiG@|k%RTn1u6}LNF;b.AA?P*[	K,Dtq]%+&p`m4Ta,B%jVbMO,W+T0-T
+o|vz
`xn_T&J/0.Dl($]*+d}Y_6GmmiW~cw/J[d]UiZjWPP#Qw27h6M;}UJ={%kdyOm;ZE}'o||l~qb_<7:tR.'
 e|
R$z8 
,`7aYYF{@6>wuQ{R|=3&_sf+5f*_vC`~c<btjV/Gc)&e`dX8cd},OVkSO/TS	W,vUuN*2FEwyju 6h__<%7c
GRXcy2J(BA)J&J&f.),lAQ,@H6+n:tg{>Mj=!-s439dZ}K	8N&Y;2Bg{[HTL[wz!~i
:XyDYv~7iu[N6Kz$0Uc(I&Yk-q*R5 P';3y1f4Iq9>{r-@,Q%SFVou|yP61iE8<p3M>Re]$A#ET@*:XktGFlIf
a?tuh<:#xo<?Gm-Z83ULw_z
%4T.1j4NrT_s{7i;Bbm<:$?yd09k7vuhYUfZZtVhPUE>UFIo7ar!fJ`$ojq[5KqL69_iX*j]%I!''Jk{!kw{+pi	a Zqw<R(_/D7.4vo79;u~wAB3) 	M%DP4D:8A$Eewc`%`@1@r?5*snuLVF%M`iH]2iosn#)FWjj 8,)kjV`l
R`5,cD(gKD:l0mYv^O.ir*um l39kzQmim5QMt<'R17<4!n2^s0^:
,p!r<OiK?h K	.Pls^}f!lCYa)]k6`JaMF.;9<i3kjKk<2P[^730}FIP2k&zZ&A=,.D Kb!ZO80QV/%GpyChWbpek)?svnEu%9e|&tdP}#7RD?brS+c>Sd	LB&7&:L
!#GKQ,o
(m,)USNWsJ|CHkJ	w>PKbsU%o^C<W9nJb6VE7#vW(^GLE*BaS6XH((&Cu3Wkn9KcJ|,^r[|qsT m#&YZ|Ro'FEP-NtP%60>F} ea_P90SIk&(?NxsIiQk	/_0g`AM[t G`_y!+m>ye'HYi0:H8o%Ocu%*55E$|CIA*h5`Y~f!(xoA!EO]0M)pICkVJGxRTWCQ:%zy@Qf%$WK3	iwr.Zi>Dx(JU^B`R%@q#a5H>1;qB `Nn=T:0Y	@jlpc/I	k!%8?*_gzu?N3x}D3-@O$7$s-Y!kuq%G:G*ptx8@I?CGr|+y.IS]tC
>)JcLkwumpmL*`O|{gRtXoMEy7gl(tyfMpy>/Vo|iw0b7%w^h^$r(4#^n<c?diWrpg9YXV:bn{20MnQK4=:Mkf~!h+iZ/jY#:&H-^MHc6?v/Wpmv+hzz	>oX9j/P.5*. |l*cgz'
wS:S18@8r LtV2;`3uOE0B42Khs8N:K	m&2|;	Gp[)o#0w<8N~)T9> 7>3llQ u(Z>RNe#W!)=n?T5}AYg<f!4k/(:xc_ E8mAzy2, jrd!g|P=z$KQ8?F^	-@3]+ak	EDeNbU6?]vpgtm1Ddp_TPYBUp|c+6?u`T	Pm7?`OH|}|W
O49xf+sC>HzIn.>eNrpH2*qGVMFP(P ?
xZA#Bxjqe)o>Y6wy?lJ*5H|18HhgkE^3~S^*k[hGo`_4%d7Q~[beB
?1$,_c$&O2R^)KY|{YJgN?t`3	E
+_G
Bw,qa_KE>yukwQhV=r>Re/l44S!{oTs;=YCqV/n'xX.*[9>y$)r@/O&N:<SsomqIJ3R)	/28$'0x1P:%PsNVF3@G#-o>I2K,Q
U
U5wu	pG{,+Qnp2HRysG]gFs
fz%:_VQLo<+bneo6Al/BL>],%'n,+Ax6eFjZ%&!UvRIv%F^caVsu6jK>(Bsz]et:O [[>(F+>/je*Th4s8`hX1}[;=':[P#3y6<$T&>wHk,[lRfy=3OZ0UNI9L9ZR,b+c#=7v#+W9gM|'63}/yi*x%di'f4q .jF`y}	'qtSD|?JZWyEx7xf
WEhoVX<jn# =l	o+MY}tU9r4LP*GO:kK	9{6z
r!gtoLz,$D9:LFTAWZf3r<98n^<wNF;4hpA)~XY<|x~x|-_*DW&hAu}|Rkh}QS:D!sZ:k)?gs2`iKSQ@w6(%) hC$#7L,whC`GNH5n2~Ewf{m@5u_	7:GLil/M_h>Pb M!$^=xj<`9X59[v9o6E:#zlp@#7W+<oD<p>leNR~k rp2/;5G>; QG+K>*}PYiizw>h`?gls'y&1:VKe?r5:WOpoa8.XipOc>wT&K	]B_6{zTO')4FV+JC?+gT);dLP{(L|8?[Q^g,r93ASg3 g{hr(u!]UrF@n3D4lZ3%gv.{f;ru$Cg{Ep+5k|;dwf6QRA3w(:`y)[,.(7Q3Ijp`Sfhg 
9c7V5ZVta6rpw!<ny=%F.EoS?ZUXZ48dD(u0N+7Eq#]$N^(HjP_5[~/GxY
~l~GG7-4&pz#m;VOU#{CAcory>t^^oMm
m?#!Q#eQhMhepS=	eJf*||%JUP[yQ!sucI78/g`/w)h8i>-@rQ+LS)&<RsA_GM5p3k!=!l'mo&^4|dTeZle,Fc(.I3Uqb p6AUMU9,V<`2G4-y7Sd8_p<Z[weZUG;!Nnto,TW|cGu {6x(vvUfEj6%2}=UHs&[b+l4_OIp
{$#fNNFYjVi,	LRne_HuD6j,EEcn,I=tGX|o1h<oo;5Q)2At3Z@pPrs.JfR1Rz57K5cS]|I(%B:Qzuc8+C+XouUy<zQI:0=-Q7S&bc{N
!)<{# 7Z@paguq:p/)U5gL>(GF]&+vFaazJ)mqm1n+qr@Y),Add&r
D&:dq$CN1ho _|Tw$kKKUc EX'v8WYH#GtF6K7*yT8XYb^@-
4NBT%Qjl$pBy;9i:rTpUUZD)n9naO2Q`;'QTE+>8VKm6kALu},P&`+(UkUVIXj8w(
.2O5&lF+crz=loa	OX`f=:ykR8ei1C{CgCr(]>~u.d#dz;&;4[`W4f.r?':T~B78$ OUv}/k!3^3Sw1*nPJ8q>tA?C-h|:|R~U aX]e*qp:X*!80w>%q/P	7Fs-U_f0`vkqEF3pDy[V/2Co4PeVXG[~K]Q'|XU&1 _:s
j>1F'L/5<j7ZaknbQ'P(IHCY^D.6V9S.6}v%CewO:	])`Q++Ht>X9n;:=*Ghv:~zE9}5cV ;BK70moN^/Y
zJIB56$qgqeOBCx4[>g|5TSX;]IP1<>`/VG25yrTz`3:rh;F5NS$t5*g)1]V8E]76M`73SL0|#+hI<	_^WL`*KQx?50C3])lam&uA@YGd_?#yH9'iUA',#TV'*RGqGmiF
*8Ex6'J0?U<TSd9iLQ%[i-Z`i4<~/j#|	*bn<39X&|z<_rEl%OlgkBmrO,b9zCv~c:iL G%J^x{m/_UD__nrj:KZp<m6Sl hi_`y72(X/Uc-zbx#GK'3h|P6;|dyNq5)4LrP^*.ZDFV^:Z3j<l
W//V(H34>x}IHitGbFWpS7>	G.Tn{<rTr?Mu>~Lbu|~2}8M	(`D=s{e%<#<IP
i+Ab]D#R7[]qYv,Mz{[]`4<I)|P	K8Q>,<Nmx{p1T]i7[PZ6;tJ{m4E>e$k_gs>79F9!+Fh5t/xBYv^R>_l-	J6TISH=54y/`os~PyA{e)
|I%qn=h&Xd%j]Yn21h4&5^F2cOa:wk1Sq6pe~WzqOwic$VkA6mv&Vt saz5oG.T9*'d|)vV;7h~sm6Dlrl.t#GN`*{6-'b
;4I17l?fzGx46S>OSG,]eYyh~YTzp&jM!)h&TcMcL<7LAuY] zulRv
 zR#e!WqPj1krXYeF*}F_7A=s'u|=[Y<r[lUE0_ju[]yxb/YaLM'|yRvyWavnbZ_W>x!NN^twJ+,PB
1L^	XkQ	1[&BV!^c0Wc})Y0fP72.-9@^!~eAH&f+gu	FA(X*0VjU'y 'C 8Uo`qO'Fu%L#7N)<ZQVCes2q.+7{?*EbJ~n(^!^I4Cs<_
CAgAS>g7VKPlRml_,LMLE2^6/c@f'MH,gjibYF [<Cn.~cA]oL2TfU&4UZ;?|BeUqJ3D.dMb,DZ6-+~GN+==4(@+<JgM.j7A~/-^kyAIhg5v1CSGYa
4XhbxLKk/pCHdEaERzV~:y;qjtxOC:s>[Aa(#OU0v}{;Ru8c	<[1EVc'UEK[E]bx,hd:u2UrT}h4CMp_VJj!YSwm	,=n(MNZg<f,E>FG?8Tz:/Dq)(M{8-Ce*a8
9)7nNw|!cjR*d3<tw'd6QKq94aznM%7%O
J2z'FkK:al6^$h<{^j
&pbzIDEha5s;:)@jH^~,WHG]SsL}0xy Tc==ub[ceiutScS#&Q.WM-O}Ee`%($[oimj&v,1K:oo_B(_Mymr]2&4)tpz:l! e4Ou/F>^Zq0ujg-8XQ3<,Q
8]UK)K/94}7F'e^Ss65gQDy{-BRs/	#G(l&+yP~4cjsQ6H~}
Uwps'+M^[vFsI.cy2b}<n^IrD
RRk@-I7|]axA{xrV;> d
;rP	k/,*J>fyYsO2Vbl
k@
5
=2BKrQ;:%uzAC4!Ds`awdNQYhu%FI)j>*+}TeR 49e75W/X.^9!_n/,k#BGs-cXA}4:yB/!.p1'J_is*,vp:l+*s~fZ=J7ON1>u3R'!^#qs-`,(
_YBB]xH$t|c9bW#kJ5MWk76m6e@Sa[_t|$1`B(hNf_v%4zEPI*,Eg!qj%e49J$D:Jxz0!#N27|;`zlH6x#5g~K|<dO9;jN3[kzKY93/KkyJzAW}UYFULZ/h~e^&O[So=V}!SB/K_asLwjZ{*-	b1V=@`$N?dlLxnBPl`zA;qR}fw}NyeU,	6F}p3[y>1gl2MWf%o]b_pjN3]oJt&8Bj1N>14(!X*;Qle8@sGP0^qXaF:]Uwr(puio5n}lyl ~6:]i[MXs!ww&bkjf(WEIP !Lm`l<-?otXa|!qH~$PyfH.gzJD*o~D3<e&k:0En[XQIfD0>/Sy>Os5FqMd+hX
+&zdAtx'(3:a|Oo/Ct.nR$b8{:_,R%$7U+jO2zHQ'{&0wEYR84-Bj-DcY3_,oaup^zX2ps;lk3:
&m]IZqWsZY(W$SuHAu%^%8j#	; t.V@gpN=M-!	yes3IV/HmngOWMf@X('Hw!@8=dF~
	!L:?Wmoa@(,-:=	|1W+oe[=Gk
8E=0}j'pK{	A&Hw>>	{ BUX_	LZoNRK)08K$v1[%VnppO0q
=/.5mGdVgPT$!'KGps
k*3248#Vs^gKoFND.V8G>YK9p&B.5'$k@<w8=wxwBHyUy*tqMj&q Q
)&=9<	@c:f##GL2{!bydX6 }k`,V=Ov5JP0z^zY{9SRO%*H0l ed/!,p V=.h@(Ez*>(1,wI]1ZEq=AWNqMObCX&@T2uBuMTF7H/((?M~m.8w8VF5+,'6>lGK,Il34X5<tYh/p E$@)ZHeLYWFf]*e}_52fMuC.RHUUbP_,Y::4e~;Lb$TRffj;GL6{@X`MbQ z S@Dtq+2wH*MV<BBV~C
8L1n-	aU!x;Cb^Q2Xj$M-e1[<R|O?.$77z^UBw`BG<{9	7$2~<#=nlt[OI(|4XY|;4FXdBEb@#8=c:A>c%Xmcb}:h9;H.%Cr!3E6%D$;b7
LUzOr3EHZ&gO*<Qb0dX!11n;+H<e
G6ISp0]osLLJ/qO^O'j#trh,.DxFgk9}Y<$_8R^D'+i[mcfTj}Bt_C;+%>t+} %Xv=l|XiPzGw6]o:Nu1Zg>%J;aA9{Av&Ke%qQ-Ib%LNR8b!tcKZ1n@SL;;G<lC)k9.NGXqox.(an!7m-H0J&z#iL/P<r)2HM[90,p&%
?XDx!<Ci0]xf 9.Av`B?%#=ZjIMtBpMF1w2uMAWK5.]ho {
!/In[b$%a=v.3Pe<NBq!]%cpGyBan!W@zHwC3z19|35Sw=Vy`z!
+3<mlxkeA/.[G$S:@	;y5h6F*zsl>[XrDZ+O
ni	&%-:^8z8]C.-o{V4Cw[k7p9Qpm<RZTXbMt,wk4OL794>Y5G%[`x_?%JNhdtxQSc:Tb=}u3YmJ8(JL0zB0)h.JNTn>$s~/	s!
=dR03gordY`=kO@n-Xz( ui'p
WgqO#AYBWX1@I!menn0$w$A%v
0[	F;i$I7j$W{uXnKtF	8%(6
oG/|5-3	t.i?..qgs6i|~qz_-QB#f6WK%n74d&C]^|M~a'3qFU]--E(+fB[=rj!4ig&8YoMYI#T_JYn$ad3CwN32.#y
8-Y:e
xi2O	xS-V0 /caS-&_A~I:zn61%
ZXyKua|xRIQkZWlEI<<*}v#tHyuoZ} @}Na8e@~=BD?!_tRI6{u z%	_W3xc:gUInkK82D	v{cuO&1~}=B*N>cU3^4F>r p!9T``)=o:V`s4h$R=EhFw?}HLJ_G|K?LTJoD$R#fp(S=A2]x}08ySI *	,=8EZ:gV(9J`99s8fxhIIMRmqkGy6
FEj1iA5`]^AB[u-BwjgTyx4i~v[H5BOpxW?DGhfVU[Jt`EH4RFA{rPDDGh2;dU3,,,m}GOoRJ&Pih2!3]%
%e,^Z3jF?#P2Kp?i`gVa*zMP{i(FQFI}>yRD|V-+`yoW'ls?*_:Yrc9NPK
&!wy}}yy0`3'f7#Em|li%yqd=yVHD3Bf

E1LXGKw!mj(iK)esRl;Hd={/j,YOw_6-sh6zy;Bi{)3*Xu` mKf?=i!7@j%caD3$h.,gcf#|*`&Mj1-U@L~(m)Gq_mwA-Z&j(]8pDU8x^,'>r_Qh#FEY;*~`LtGo5zd43pQC<jE?Mfs~{)v}wDU~eorw. h5'UnbuQfPn{^V	+I~9%.$@A%xUBf]u[a3buxo/
<=^GBy <N#`'z,_-u=6&EeJ4ee|@?_[T@<ZpE1<z*vx:!&`a
Ne@uSWGk+BE}P|B/9FHU_Pn?um1d-qLZf3.)c?wP'@hdO&GKS;II/t)wjyDx-1Q)`	r?
Z0.kA@5j@^MSd>`N8%| '[,;&^eCB2b4RzumJ:c!?{XiyVT3=aOUx='J]rv	^n~w~8SOkg1,,1M;>{f~.Ud_@Wzz}xBwRDZQt%xNGV[}GyG+0Z&s	` 3x/(Ic+<fMNgWE3/CjzW_H83K3%t77_s}(y,Hl&lX<xp.bQphXK	& X-y503M6lp+(U
P]r5K>YT>=E*-8@ GLwZxW_PI
/TW;grR)-g@UCu3 47
-#QWzOJe`neX^c+,:+k(gdG2^iW%mz=Z$CaNv~$Wlo6lb(d1X4L(wVyDB'y8$	h-s/@V5&2W@'/40k%
m;j.F/y>A']*'Jg:S-9k8<35U_Q~7jTJE	N7.)m||t|o)(PRFVQ%0Cis
6T1))Pe3&K Q]0T/8RXHI|ruSnDmdy%8KXNx3.h~FvvzW;R$*;]:3$NGtvQwxtQ<f=OB)v^34E	X
?W<`^-~xypdf!E%aOFBPu^^wY40>{6.U'F}*E(<8+M=Y.NVi.[u,^%?5LxnHh( )7-,@Q^tu5qg'@oJFoDUQ>]apht{VJFG`y}c=Z#yTb@GBCU|{NHgb~;UiRV?h	?SPA#(x1`<16FK/7s}pSx+apf*.S)jO{Vd<BuRadxF(a khbW|:T7c:)8RC36:h!l&/AJ( r[]yF<X|2JH]$|1A[S@|.W$0R-68RW6;-*)Ly
=)7 T
?w
Jo5Zg	Ros]^*`b-zX6|b{4O!tt+}EnfbWoM3)Pw-}`Hee$E8.t~l+P
B*#TMjN>,U &F@M<O>ru#	/?L`.{4~f3S6HR43A~/fY	cvhR|}6QS^KT.JqmN(p=FWj4^Y9M58Y8_d0/zjadK7x0w6$[Zu#qXtms,,i_YTZG}Da{Fg<@Rysi]c/B$GctVlG4A#0nkZd6F?LTaIX.>7WUXoi|
`Ou8#MZDq	2GxwVD
G_PK&Udxm-ZxrIIai*
{2g/b'P'r7gWI*O!h)CL<dQN&o .~[v=>>wo~-5%cYcqGnikqwbJ_S-twnD-	v<um5(P-}$>E.{b3`Z6icgG>S2gw6a5e'CAhO~jChlB.:68L1Y1jUICmxZd)Cz@w[8Dh/#RY&0A5;F{5g+YISndAl'jnvKI~TJF!^0:!SzhGE; 4)@~W:$5&LG?r44	g%klVwFM)lU-7x_*J!u^2~%v05sDBPXqHu!^=^[cC4.n;h=nf9tIB_5K|X4eO.Y/BP-4mL.Q6Ml$RBzC>K^DxVXSQ7za=/=hA<SC)+9#-@o<ndgew6/5sWV<-k;rNR$<66Vx)/<kh!v2M	|ld)PCv7u<~Ay[w29:ov#qIf^
%cQA&mR,<yemCfC{(N:j-W6W4v<RvUGZq*8?Z3<H_?S!}s@WG@FzrEIti6!G?ivZ+ocjL9KR0X^Z8Cs}wA4-KL=NMdTJ(!{?ADc;IUv2w@Gyp?_,XW#~xKEAk('QTi/AT49vKyd<3 A&EVT&N>8]@0vkCJLY-a<j
R1#cM(#5'z0rN@3q5YsPyAp74[($d5(/C?TsJeDx r1#}s9#ma@4vM'B	w>%#Rl3.}x;{9<UZTO;i!tCj&(0jW61UZ=^>,YK&}Rsm[r2$&$0
zNj-rqC_8	^2uCmo2Qf_6C|!#!q56+5F=KGpX~$=)MqlUB8 |j)ESFWk|DJywkKwYb3Q~H2]-)PF$fj[s40Yin^ATD$4	hQ$h'mkvU`q5G*4W[uec#R6Z3d6V+X
P@sLSZ9	??JYeq`RjVP~V&d|4A~.g[<u{N*1'I	t^X$U|^*X Ux?% aCh3UPqpW6k<lo;XP2	]q{WRP84KM/
MiB/|#OoAoy*.(bP:~'Mh%Uwnj>>q!WJ8iG(jIz)xu;{K2=7e_e	Bn0{8S;6
Nl[G-Y{kk+1`*HHy1kAI^1$@G{Ds=lF&HX!0{L6lIlITxHD:V@hVwW>dg?9@4JQDTE;@)LGCT]=xefSH<*I.2#IdbY&Q1pAg#!El5M0?O`j2cQ&P7EMRyD$8qCb{!bFAN0Fhu_`>uy} ud*p2A
+HnfE-G-vDjrav+#abIv~-2`'@J5h7/sdx(D'pb{xU|v8HL#x?ZQ4?:{vBMLgM'/6]&*24O+5<Uph<C+ySUWg@XOd5U5any5{Gwxt.@:2xbW#]sP }fyfClMeVsyUATt|Wd&^_]_+17@E&!c4mK>j~,b(wV
vz=WQ4.Au/e!_vR={GvV,U5!_/8R7zz`a#F+VQZxP]FFcQ.GCoBL?(?yWLb$Hk1&gO:hqo_WfsE ;K13HA@n1&6P2/P+cGJQ-^~)Y7yR
Mf^'[H~}TtDYUDWUF/YzzySs5b[QhA6<MAp['maU^k!^oHFB;P,P~|V6NB9ro@A*(#*ta:ngTzqn4[jzRV~44ycs!tG6
bBE=$'mT	Li_fdA'J+O&56KP	CuXla_pI=_%q+W_uq& w7*BI,e@&jlw+
vJa,,Nt|mfAl$3^FQrSZH1A3%7Y`jE^cP{A(%F/U5J<,c`D0Ic+V%VHer[PSSD~_I|,85t<WT!rV8xG5Q3h:'wzsf6b2h-Z,Vm*mZ8y&-NGI/nV.iW`N%aM5w'Jwoo~x5.2L_!dR/?G{X4V$gQy0ty~^0p,@@;rNQPVkOyP,<B+Tc>
ALf*:`5a	oLq.VX9T^Aaf.m	kU~}!o5AF|K7gSL7#-JQW01Cv|1q.caN't+``KhiS;k>p$wo:Wu*VIImjev:c-@M~c:}e:1HDPqf[PY6hs*(y8|.%.q?Kj	JUJR^!IeX i0IsSdTizkobkE2?jhW#v{yKcZN
c3b^JYB_A/aMPFEIY<>^k$'S=$YigXdXe%Lx.
{8FzwIeWuzC,j$0B-goD*{{wqpxK
v-ANcpW+?!FqhMX.z3pUe198~-iN2pV/uN	A%|E~qYnW1CBP*3876x1p)	I-Ow{[-V64Cu T*58%Yn?rV@JYLHE`xdpl`z#-
#;n3N*<r!Ege3=>c;P=c7H5XH&[L;c|W:gk{gQIBrzW,U{5
cjT.)~!j}8MbDYNCf
Osa3La~M:_R~zSUU=S9?WW:lZ8qB
WA6ZJ
,QIltWPm'-cbWa7:N)V5v
=O<<	l-!4EG>;NRP#@6zZQyX|w5V>8AbUJyB_zHLA	^]`&i^jfA_Evbm9?.w$IaruIWCX1b8YN5{DPu6quHN{ A,X6fv=Hqn_xaqk7j2jr8;_[A`_x)JD;L>Gc]F2r7d[q:uo;
:,Z4c9!ezcJpY<v&iCE2Zc|tCRC/Uc5|X}:`{%u%3{8O2gmRRLoz[ED0I.BN-ce	yJ^<	:L=A~Wm [BkAi/ft9cN45y@o6mQ`-+ hNW8}LT3 jp9o+zOtb /pZ7W}Y*,Nl)z<sHZ&tvB$y~wAr?US9oJZlOv>5PHCgsl!z3zn1JOV6t~?xxqU$/'S_Q/H<fla}wBgM	?,-:#e*p'R<
l=uO/2Mq.oQ{	Q3$BO9'_t<Amj@gI8#k*f58gB :dM	iHqUBf_`SOx1Wq&gnGf7tW:]F6FVU95,KWA2te'ubaW`a8tE`I_t=#1V_r98trb`ubNVi$XHk{v4tL^E,Ou~aG[8SQ,g#jA&).9q9P}
sC#h2_6!bd+G;rSunjC$CNa^o1J0ywd>XI@+CTdIWf SYb5T/g|;~@b*72g!	Z;i?n5@RV-^ 1dovrO,CmEc^Wsxg&5`^}}n>!lR+QrEF^`uUE61<z%n*n2Np?xp@({sb/f+1d0vs
GQ6/-;o,>,x/B-cSh0tn@46
da,DFoo(0F3v'NX	g);96p.N %}:zleG4</1d?8fm]Mhh3=ucRPBz	<><;3au,J2H%u,T L'mv5Snp.#$/,O/irw	'oriG^_z0U6{wZi7L(O:qFleV>14~LMoW5R9:1T4&to?}yRmWuB3B

CBl!gRSl!b'Av&gYspq$,[{{s,I]HJWr0!}oAhGiCCPMU|Vd<9)F^{AF	aZ{%-5zj}l9ISTYv@LSyzdg!2MKjx2*1g_s5uBX-3v1.(7V`pbn1
Id<qgtD4?h>dJndTM*_2LCm4RrYl0@+L0[zR?R7&#7	VkU:JrCeTz.ScWEf{pkAU`W:	+FmzS*~8j
I=bfA;3+6:71 S/fFmOl7gfl'U7I|CA([2p&.	DaQ6=
8L^vNJVPO[/.&tYQ`.|a0 =B+haE50ILUcQR$<,#iQO[erBEQpNYN!XE[`J06lV9xcQ]dJh-7)EPIZHi'FGw6o~>*AR%4KxD87TmyjX92uaG;~Ws^Ba$v:tx%|jP/6<XaPws ]S*}Lw$m<wwVlkF^}eK2w9VZ2Kr*8
En-Ckn0u^0Qcxx
9Sg)p/5E;tb(dDiF2tc!omE@y2@3?L:f
Bsf.yxK	,2,o.RG5jZkDj%TZ0O0~
3^yu|9Nz9%dx.(7kjJ~tY3KOsr++-#d]P1=G9zJ<3afL|i6DPDt.}Y=&vkxrb:j Kom-
HMT4TZnAX]+nE@NfXH}*Bey;!fn}.a,B}!>+`8`5M?kZ}_Gs	M'U%f@l2RB1Iaikrv)7RrTx+}f	X#fvqS_9gZKQ`%IX,Je+cw'eyJP,/#CY(a(vp;Kv,8xW	YIDkl=mQd2MNr[cJJBi3/OCm,kWTD^KS$1_UHdElX%@FV|l$nt_|aJ2ItDKsD?V@)mv$7zO<nc>fC408 j<{De]Kqx+i^U+Sb|Gc1wF@!C35zOK7F_9[<CEd	O0|[1	tUd#3N-uo .aV+:O:YFU!r,)`G$8%@q;7%lgjb;[T3%NyurYgHMJ!X Sr2MmJPSli	=nVEN1nEbS}[D4d`blnvHFO)ew/ui0q+eeM-@;Y[>1.1Ib82+d[	Lu8$zCzG6PCkub@]cSJJqz.X^',;eqS0G(Ufa pTI$#q:[	
yM=1W,GI_=)/VMUJYXm!>Ba6raAHP3!
wdCq=-ztEN9R0xJTzfLSu	U)-9>6<bj0Sb5%7f?*j9)9
SdNe>+3/Ol0OUNv!fR6l.MZHnW#BaIfoKt2X^v3(uSCv)R1CMeu5Q4ehyg>}2M.td&GZky`Qpq'[_
:k(7~u5q,EDkXVFt^!^:r+Kj=JcqYkUERk,6+SBD1vCNg&!{F@'/WVn[0e>DUMu02Jx]0Mn4M%	^
~RTRx{>e?l=TmL3_A}Iz>5)`}d6ER{[EB[G`^
:hZ>v^;ju=+U	Ec~[6P*)BGI	SIs]fdNKyWr*ze'}h{dI k^_e!^deggq/9	m_}qhRWp_q2?}E(><q.
2iOLq'mk7Nodb#vo}P2I[Ii]@+le+
SvvHiygvmz'$$@_m048/X[orV|TzvXv'MrYu2)jCyy:o@lO1i3wjBgiY&-=M+^@vb{?p1GU2hwulP-jer}Uonm!N=@~>>HZ2'e38}Keeu %_J7p)-Z=Y.51Np{d5fJ{fxMw#s~~9%T|7YyuVQ4l
t]f~vZ=O{Q4U|!hL@=S^+^F*g]C@i[Yzj]y-hL>H%/U:LwDX@!g6mZ{]]t
*,3DfR9Zrj2;BLy()Y+0}Jp*W
S4PD$/;4E]Z!*dpwfw_%U=_!Zez}.9wjwU;ZOXV'kJhq=u_ZXbBg2% 76lh,{s`].||}1|DyyDM,{81evn*^2S6v5!lm8l0jqcYxe}S>PY&p/:U@Is,hHX|Fv;|@V$=w::,b3F`/k5%N`0q
r__ia1~}yfcP=K3t-{(>vpu!A?L3~Lg` }#|ut,eoWG?>qk8
i^{q</=}Se
4x>rt*I&2|pp1/&Z=|F?oc_rg#h&MV;iC-5X[cHy=Z}[+ME[uG)sGgma*trB`8a>OEp
rV]z8]uL8cJdnP#O@sJ	#vs5f|l~L`W?I<x=[L>E`&<PK)/?MX M_m*>oxR
&JY?4w:-`z=QpV_	JH|j}X=?h5^QjRlAfN0Ez%{zF/+rs=q0x,4RUa6-zbDL%5n!mZ}YI3tB#$]o]^9[]7by+`cx^1/g#jo_]Ebj8q>H<QI5%:]^q_@ZeuVHI`F<|bhw-Q%Y*N+j( `!A9:AlMN5DE_FVahSe>wGx@!+hF{wmjBb)TLalTJLfb4/@K{7@6K}v=eR2d8-CZXq~1Ny0z`hBNi&s.7s
6i]>Z7#LE{U+*+1bSg5 YKF	a 7vd$ [W~n`0{U`0l_a>9# =JA@E|2MZ-D,HH&-33m92	CJAA2i*J]<tE|:af{wis&rCZ6^_$v[AkCZ!|l658~rTxeM6A}U.bM]~|?q_P
apa1%W'4M'rT+Xs6k% AtOzrY)C3f7Rq8|EVRqa7Zs`y/x?22ZEbhL F yx/[[=ge,8W:iZ(Or'~9cdx@>GSu;UnV*s #%C )Q/y~HK{fU}cCuk	Rui*P<}2p^jWyd$#6=nJ&aLK|a|<N3(.kqi>A_!!7O:jQ/|ans:6DsX^pK0)Ka^HIo[CGU$(zExZ},f2&(:(JEOKZ1Nue	;|tPUVt	u`#>@Bu[Z`$,]8TT6XLBho1#wb $
DR@byfyb-eJqi*hV2@>wEQc7$G<4bAk]cmVk0y6w5rNn'x*6KC[G5Ob=04't8ELptU/3P}?QEv6Yp9<$ ^gpuT@J*K+p8[%4VxxL>8n@'nOi?H8sk}-(j8QM;k#9W[m*K1:MVnQ>N9UEv	+PzZfzE]( f%w6S>fJ^:=UBSq3)Mu{XvkCv(6iy%3iMCapj(M~P!L/pu:W-1n	T,q/F>(:>d+u|ZTkE:=M}VV/yKyV-A zr?iPAw/[(r	VK	nYlbo.,7dn
ef.zm-ip_Qw9`(~aCp<3ETBi!,:| M&[$U9]Wy;f<l6<yOgcF?TaA*	gA_9`'?&lg	:^g&;Qhz4%EdJ6Sw/}Mln0;%fqF(S/:?-C_ZvR2N];GA~Ahs
~%}XCGN5y?#Yu<e2nrS4JAxAy^*t]j16fXnx
9eN`DR:G{&P$0iK%%4?.C!/,&26OR?WPOr^:
P-`P[T6tr[dd{4ngd2eQnQ E	G0>%4?jI_jR01%%Uz9F,	95`Q-LpN8#FjEM'V8Y4[y+op5s/sV/>]O/s1v)td];V8:+g?,QOnhG0CK21&,73U^;=!.G6*	%0]?}%k9 tIv.>3!K:.Z`0`1qCG1#Yjh9!!8te+)RVZ!us`.<_=,/d.BO!c/hj	R
&AMZ	g&5P[!>)1N-5	/L`B?nvG!F<XD{9x3%xZ`b:z{i+w6y!2gOrx(NxD-sXYd9rNKf7}'U:Z.2nZ'Dp%jnW!b,WCnxcr(SETI8IyW7OZR0g6VmmC8_T'(i,=j3SVLEq.*|<fUA dT%MOLL=!N-xn1xlixFOz#LW#cFESi.E[R]C7XiGL7z	B1|@CO.dW-PVv,2wuN-j3gdk?e-RiE{[, -3]VsV1p'+lgs8Lv*+WX+uH1^n}_v/	JwbJK.B+T^ZM13o{l^!gS> S=h(`/o'(,PF0g
L Rsis2B|CUqWB5^I<! $!%y<cl1:y|I%S40cb$m&+G ~an9}+7HywYR/}?Rb6xYxFOb'UbhQ*,'0;@'>bYDF8<rp:^1c:=D%sec&cw_Wn*}{IzO!9`ke=oMiWI	.d,=qjw QtC>)<r)Ckm8rqr@!mVWgrn`MkUs
t0
li? 4#,(U=k@7^:@6/G;;O3S[oD;h./cvnW/DpTwL133q((UaR~h09MwY*QnGw]-n?D:Ul<NJ5edu
PUp:78#<3Vtc/cEG:nF;~%aUwA%95iQbr,6z,n1>~rO0wp}dA@zQxZUnKY|cat~p!sa37U+D02@O2
PMH?:a:S~.@umFmuR.6dqWrs[9{<N.(Bj6M-:|8z:Kja|-G9DDHY+W~a<.LHi#Uw=F+CAC2eq=3F*9<IY7#D{3RVv2Yjh,8lXKH~PMEZk?i8)Uca(xD%T
kfidGQ{%nAA`Guc'VD?tt	CZHg^>!W.qGIq;)-i-t|,)Vc?}aQ moB&B).U|U*m^k@=e>d3;%b{
bD=PcO[ofuI42U2?*}M Weu7*/56DfCOxXm1/cpsaL:cfDI`h};^lqxZ0O,u2WjHe;){xT1eblt5whL62i;6o|FS[:CEJg=86_[ m~S{[y{R3u2EL';LMqa-
GD44Ybl>}!M#~/osVB.D]fa[EGob=pn-ZDlq}w>@@s1m1')3&TJS`-C?@C1L6-t|s-K+3rgVtd!|j<3CW
%>
Bbo;2-b2|yTulU)Mt-F@pgWAO(P#c!zO[[TS'.S`T.`8N+}P4nOv0TurH|<Rm%!U?fQf(}37	(Mb]$d*$6L7ZLr3Qs!P27jN.7z >^r8b'K}IS|naHHuiuQN>bc50EKDYOi/6e~I=X[0~<|BgW:G<?VT
L{o;pQ~!t]ud~|#Ty:>e*J[e/UX	c}AFh/bYoqn3
Se ,xr
8!S&w(+fEME^?5#]rjm'^'p}M(TYIPsM92IL!8	q94*$>tM~+%^J++0+[=<NUQ$@@]]83sEp*V(VI;mie^d!'>E
 -G_bEc*o5fVJJ_zQM3gp	Nh0|U&hxNBb?,?&vWmu8;nN&$>:wD_<k:+G+=*K[l*/~O(^Ap}7UEI*z'5GQl,=7Afd`If#wdL9q]8vmOcnA%:[rtz;R|XT%F0n*7ngQpVq6:z~<3TN$7%k)1{k#ylhuy<#zU!)0CVQ@[L.uvLVnHIt~]]8^C{o&Y
(h2_k{
9s:Fb|*7x>_uBzYN-Az>&GS%.MKEbBRySfWW 1'M	3~c^a5gni];xf2B=fzRh9N& O'g]h*e%<cm9.aM~-	i@7.F	xYf07/CmHXa4m%4;`oYG[9#L}^ hw1
}/pnb]K}Z8 }{a/iV:7,D^iD68,py;NJpGp6`:nq7Gh.pK4rEdPQ^=F^0yB7J{?{]^+DdKCZk*pmg;#eO9^-J=rwtQ,>9P<YCWeFGMokqF(1fgR7b8J.T/u@[TQN+K^E/N0u;f]3UG4+7:VV[R8An8m}83t|:l]jiDqXfs7fKi0f{GM>AGVa}4zrv'g~7u+USDWt`L.YOCI.Irwt](bh0EIbK Z6G*lt &VsUhe@s)s[[8`~OkV v4lljymU	oNKfEq{to(!h%2i!<-uuu+*?Ocd9xUMBf08/S:Tv#VI?PX7MeP?kz35d:q/MNZE0Y}{k1M0be3r#7
kS7/1h1};^GR3G=zr1v	RU z 	
^@n0A+Zk.Y1HpN0UU$J(l-.Q-i4G#.v(KpNdX7^.%	 
NnsYCv$-.j_ 0VT)AiOQ!O%&J[@HBY.m/7~zp=Vq#'cB
VyJoU!%i[8~)go(]ZYZ[.1O90G/(_vPV *C^gtptbhB#{5{S1AO/GN.q}H'wzcq4yq@4.Bzza[*u]1-=puFwj<'l@f3Z.ckTEBSFvfx0#Sn9ZPUp'<iXlegQou^P&?lz@KH!1MAvEHQ'8uCQjFQPw!mX]RAyZ[dB%C7E4.ATjsGAN*};Ie^
0 Qd_FFt)hd{@ReIyAwTL=BqE}cyR	/CQW_1|k
6w9&G{;&!mc1?4@)X5p~f476#Jd<Zf'I-K5mA4TAG<P<*)!8eaP#=1n-m2rAk1k~Y4,+xrD]n}-l'=M#*I|lG~LQ4,OWeL..G:L<k} }]DxRx3YO
^fY^rmf>e=_gN9(5E:8DB<L=r9wAQ80n#VM-_6r)d&xbX5,Z%_1{III&73OyWzp2]mNx0; GrGPe	|%sK`S@mX
y^_0L,B(=[ )k`:ma3C$/	:zU;3jvL[?H!U]NnRk)6]9JTRpppFvEL$gI6rpcOntuD8LH;qN1Ds9=[Y83<T}M*RqEBrbb2#hf}gfJFS'2~85'F!wIvP> Q#%==O;@N,0l^{+ J`dQSBp0/Um-k,wEE]i}Qd+_mM%K7,!gBpHg)5	sG7Z{x/?Q	_I4u%_u'.{~)s&k05@_]n,]'~l@|&*F/g0'V(.[X2O	,MKp8=Jlmx^`BS)fc<3D7gtUI|rlE
f8EosOTh	p`[v&GGhWIxK$HdX.zr:Z^~`a&YQ!f7iYl@t
k{+VfWxmV|=7k,H{.q]<g]'=qFuQO	5H%mn~3ciXX>;hymF+t$=7O=NlkZ4txA/hIjcRaGC'Ne!.-ducoK)NeICm2!L&_tW-1N<e,s*_UN#Xmu4pWUV,Z,.<T8a^R3w%W$!3d}}AyJb!|gfp=L_SRRS|=@Bc[{gcZ	T4p8G f>lb!3c{WNW$]<Lgx}zTf|N*/m'C2pu{rjFlL&GF(%_T#;8Z[e`r(E(LC3~,D@}5]v/&R[rl`3m{>*~fo4A{5](8-TFN/)2S)^E'L`MzuegEy	>^K&'sj3(qJ^_N.e~X]qumW$<[QSk)3w6Xt2aAoy)/~!3v3u[YF;XOdQ>eGU2keN/L#?F
yx	HI}RAayBPj9`>3M7_.Amjw^~KC+A	2rN}WDr}_*0~j-Yt<|-s/)n;jD,w=l;V]JiPlnyE&ICDf>[cZt=XDl@_:=kP&B2Om6,TRs$BIKP
KA)$(N_/MVj/C=8h,X=6o<>nM
>vB#w@fm$z%3UGg+I^],Vo	K3?HK<5Nb0K<;N}JUWG-&%T4iz&@%|'yd3+=<w23]d/s}!rn09h[[G]wg2ynV/CB&SvW(<k0$>#G?iz0#J1),=5BXWA~oN6Ro5X_LQHM>|t37Y(-,C8SQY&YwmHq_6&sq5tKZw}i^$P-qvLU/6}ySJRwK'<|RbhLM0<e;o=^{PzU$0|,/iP{d{@NPWiE8oW%9m]r+;fDDMM534|R|iV  y):r*Qms36Ah>%,KI~Z&;K$D-CbX	fKuvuwA1{>	' K u},2n8i8xiQ-O'isZb^eA!R$O9PG9	scRnG!7y ROL3SUl66xkSOayCbH?L/u:}f4C}.K!q$=6s|v%-d=A!gO&PUL(W?_5t;Y7KCV{!v`)VRPPw7
9h#`W44HG7pH)gPAS?Cl/|dcg~Cz9*xnK]:Wic8;2VdPB+hVs9A9<W^QUZv`u205Jv=Y6
q_*)-@=I@{[J@0[3Zi'<l{
X(@9x'ilCe?CJ=#	*{liDg/~H$P_#(Q I1NX}<]yo)7&j4?*}lRm*GbK3idn4yLF}[M0f,8SS?-;(K+
G~id`gTfbJ(Laz0W{.E+tK!M`i<&B?+3LxiNI.J2bEDjlIk~hM#.t6nD#x;>}ykbQ3d S=HY{NAo'UzOXOiaJHIe/a#~%D1~[E^%2RnmrUk`XLn4;Jv^6!26$gw-D	jSqU%+z
PDpBp1_O|&Oyo+YfX	W8SSYe4b+y nKkXXLj_iTN)j{jpfS~RjWFF#.q+$6wdEV9-4[<4hxZUn,lQk7?@{Il='<c*$d}AFmZUyrhfe'!?p'BW4)/1.M4jMbwt)e%P/&!D<e=k!>p. 7!9FYO^)ewrZp73::w,=|z3CrGQ
W0ZC8e7Xjj{au#|@Y>,/%@imB;TL2MlM(6^&AC6qCy xeqS#Pd!ul~fA|*]>dV|e)G/>
J? 3G7;U{N}jo9b$V=SUv
<:ER{S*g-2mU4{6W&NsM{Ux[; dN$6n[e,*{~:5a+(S0inRijYL?Qks'CX(M@LCY 6S-
0:Wa_J^#eDRSaq9ZCVe4vlzXy)za0Z~bK2wmL.>
uEoet)r/d'`/)^{`%uOcWaCqG'k>AG?$DBWA~a}cu<c.|9y94/)rrG{a9m<=ub[3c0XK
A&q)dnl_%Z)`*P/bK|P7zL[3/g(j061QSr!8`=N~'i&*HF;h|pIZ?9=Lu1>in6C_K0GtIy67Y}5;t76$ufiy2w%RMTwaTFo{drH6@-w%B`hP!,@0UwV;'E&Pdw
{*%u{=g!k
Z2DmGG$%Fs^=oFU6gDp5ZAj+e;0(Fb@$jGwy)Qsvib0wWf*-Hhd{c2dd-9%XmaR2u~-y1ve_jw@A! TXsH.MWY%hI@cQ!p$^zmGJQTg:%].uw8'NlH!TUhxwBHyca5 Lj^.:B|]xp:M)$T:?#d=ppri(m)TjL/mxD$ijS2k= v(C
/0W<kNZ.QQGF,DrYO>	*$oG.Q2@p^#{mHw	96Bo(IfMEK	ciyEgt77S|h|c25ag0OFWG9ZEEI,e;jO]P>9Zyac$]z+<zE>4H3n`LV%4X={%2/T0up*@?4SXs>jYfgauL8(*R
ks*LzV%.)(`-=SGS3udOf#FF]*Pr&V'&[x^t$plf~ eE	 d)JYRrNpa1B17}M 'B}K2g(L3iiw4Zhq@;0^9xy<<_DzB+$HK++[OG%M}s(Fgk=6Dwo,rCq:3I{:2a`$9Xuf$ac,^[$}s#SzFDbkG*kpvB3+&W'2=14q*n_PPm<c+a6bs~Ps$Ed3,%'nY)X(.:=q)y3aJs8bEl.j~t61;Fqb81=T-Uz>AhY%2FkS|K_yU$;uwZ9f2!Fbh ak., B;DGF
w~5nX7B{A9anQDQK]f}(`d_P=~ER=+ylY]sq ?(M:swto	
V-T7I-Rr.=3H$suEA{%ngqf}#_<gY*
A?TezM8^z.dZd.WFJ %lAqW<zGfV:&&)*glZd_-&Z_-b2p% *e![bFqQh/J=`]*'sn3?T8p0+ffH#'j0PX-H8'GuJzy>?/2__~D5piHE7CW90s]bq6PP@[xqB<)iW,h	eYh8*+n@*SlRTP(PHbAsYQ,^V(u}%.?*jR1QegLVyv^
5]V}h%fQl~PK@<pN$_nbut;Pa8Z8n2GkV>@9$fC_	)}/NBQUHM#ezXA^2{em#5:C<*T|	g@SpNK2&/B$(	@+1+t6O%pg@oq-=RyX9xC_--.l1W,'y'5Wn!Oz%zB!gfXYy3u-]|]O9dk0vb3owmi:LZSiXegz7Kn90A>)9;%[8
S6sH`!GZ1aTf7P^B'+T<2&E;guq%(g*k&7C%,W%3	3f	c+1j'hLkdFZ:EZ(6 o8{Q,Pi>,uc8lvA'@7>QD<}O}%'|!wJw%%ui<#`$W0>P^75aB[WW	18x>>s]?4{6,k		H~*U=Pf.W66'yK(pqDJW[o%l`CDJN2'9
X-CAu:i^qI~;dbUK^7KtmvZ6h0)L#}^MXxuTZq&uv<j)zs5LWyULZXs0!>?<+0*n][6 Bi	7Nx-?u^csuz&(GL?b$vy<_sx2qvLu[!=PBE.15nM -WOyf+cb5Q
*0p4#F@3yISG@YNhlW~O=HyE7_Ma{R(3s6`aGB|DGIOBM_i%fUJS-J2)u+u$+i.2a1S]%dUc1Jm-r'tanp x[Bq(F;174:	JqA[`.H+f8D~`{},FsmUf,rr}	lZqHzRCqmZ6d1=T|&=DT$cB#Ey9S[xkak1otRp`9C^VCCVE.  3C2z}f:|Z5qh(>!:]IHBYObEGkyY}:z7!0u_x%A0]O-[lS21h<z)ikaj WK7)66J{PP]WcpXM~@<:hhMa8P16qN3kAqOS4X^W)SSwF^N!$C~'yd|~vY$ng:Kk !
<-2wk;&; z.Ox|.p+Qt|>/D>Di_zjP@I4H__~ZiN^zmhlbbq)q3
f2GA=B.J54],jlm{XObR]t<4}y
~dDI-V@Hk^CpNm4&$|&?>IgKc
Zf*jV4]q-)LKwBB[td+Fzq	Ku.>kO89JSD.b0>#~'mk.7^
F|~a!	@9g)ef$[1]M0):Ke.S<.~_|g3RyUp.413&{^I`U.Ghit+TIXj
vr*A8=!Ls
	5Oz3M<j~wntfbP-|)c79uy^&3kN-[S=2obd^r`VeOM2w;Q9ioaN6}_g;L<aI;}3wd(dLWKj|oNzl 1$K;;vBtb<y$A*`QMqUu*UAdyGGeA2:b=a}9~R:yRU`)$_N2l_;Qf.&&[yuQ}Ar/??H2+
9)c6:]$oQ='`bY=o$8d{r}$f%?a`7EvZq|	tpH7%4H5~=+k$OVRoC`M+k_dUIf'5'*,%B3j$=#w%JQSsKf>zs	RtK_x&4Q(#z*sPnO#f?oAplnOy2wI?%OH2%E>BKihl+Aa:L+_CK}UC_Esxl`=AM(@k(<v0
iX1rQx	kLwRdh1E(Xp3D0ln&<y
e~1U &E0-rV.dt{{t@T&I&Xc3@ll<pk!IMa8*-{@[|$pWflj6=_YAe)MfyGzX*&%!?_:K<bJHinx~]:OFH*
.nbWO0JAYrHaKZgE(jU_NiU%/U_;_3Wz*x:Ja~-dg9G(QX(Ysf{s d2PMuR9gkP${!.	-ULdsj;3bps6]U92XN

12B3e^a5'>}SQt22ptd0aT{bq[_|F|7A|;Q4FDUGOw_RI~6_*XN]XU.BbaxNZM>,xCiNL5P,XG<,DxXLRgsU HgK)|*bkw,Zor`O*j^W<@yw.fplo`|nEYJRWzyjs$73p8xd~=_`0.V4}*9>`,_^=b;tc]bt=P7!:O[mQNcI!}2;*j(mm;'KU>g2BOkdozG1fxjT>zezTm
HqbXKTC`px;iY?0f!!;JALYvD_?iV&{r(g ;^QLD
WxfOa4wxhar (0@z#Da
	L*Ni&lgN,:{sVT2Y6N^=poXwR!:Mjvss&h4>n`uPI^9dN7S2rJ0BK5SOfno?ghaS=h6*f!jt3 Qqq]+Uq}-.?t!Z$>-%]-M{955ok[Vl=3`& +I*
Cxpd7>S*~(zEiXQVxvm)	t6N*^8akZxtNv*P6TNUWyiBd4/fZJ[Z

I;vgHm*'~VW[A{xA]QOH:Rk4xt|kQPtXDdFGu~NfKB}P6a^gL)Q9v5^-0fjjt-)	[Vb@c2;sM|l/$uKZ{z#|EAXr@P%YmO-DT-fmlC[Zi#}FUdRGXMca;WU22v%`]El@(f99e)Iqp&9O/z#V'ES+8&l W YP3#<wT^(=2_Ivc-I},k}0K9Rz/@3}Fg=]Mzsdv:.lG*Y1RN42SoWr)K^VF9[3wy:P/qoQ;M:rX>Q,hB2r %D]1 :6_gQb{'c'NY&{Ci|'0FT9tZJ-`U&j~Mem;memGfKW2;:em}ySi8|csM8;M0)vvgYNJZ69Yg3?+Eqh2!MBefXhf]:T/C0JbiMXIe:tBTfT(N@bVa.E{
SnUrYiE$~}GihZ:hA(|O1[G>3bw]4dqC%}7cZD:*k/x;X$F^3p$
DPll7Ojjf3++'9YeW_C
!!#m,f,9wevumz8Ft	)E?iHg_aU.{zx*@!x]29*/WIJVw.c8k6wGuu1]8.lq/Z	kr/F3rr0$iEYZ<4;ur?ZFT#a:
ft;M)zCNf0py^	&BI[^r|F_]C7ar)7RMC?(!x4f]~X#oT~zcnb3M%e~rV mZG `qd{/v#EY~UEV>`oM-@/yz	S
o	zy?W?
$%Xwc6jxS8UoW19w/OM$^31	UGCMF*.Nh785Tm7K<`cu~Yd2p_u#^ybS%^_| ~FTA2iDK-V^!/Ik8=uheIVQ+tz>)~<fC{wJbS/Ev&+'W?50.4PKVg2!kI%;Lu4s|$_$hFmi]@5Lt!u_hw[zL!UGH1Moe~]*<{P*cBM~BFF{%{iPt*kkogZYMfl_g@
{'|Om JDobHltpojB{yDyz;_^Q+eXARW&u*zAw`uzQlkmLX`FdFi+V8ut'6A}$kRul!	JQ%7GPu$<KMGj0IjGYm&a<y![1Jm&/~^_z&o$xVNXJ&<s`Q;,0Yr*
EXr?By:Mb1y>5&Zz^v	6%jImzZj[T.XT'q1,a'-C^2yiPn2!fgNK)Po&]P^+(T-q$*O6.eJ&Iby;hy*SZD|QbB~:)Mv4zJ#05THl1Z<lkDjBz	=l&Y#6?hLK`Rj;-^+OCY@fA:STv21E?=fp$rg$nqu)lm(G(8]5~1N@i[Vqs*/7ZA
7Z_pEh(8G#956scaP.1A<*UWB(Jq?0VrbLXD4j`'3}W9Id[vi)SPtEBQ#Sm[<;v:{0Z3nMK	%f?> 4zjNXFDJ'.Hyn	tVA,4OCPJyp)[Y22N`9j1B7<&1<9:(%t?XD/MZcq5,;}P9[<)y%|-1&tuH!9!|wH'Y<?SZpLh'][+'=XLHD%Q:]uJ&6ziU?j<*IlZ%Q._$:Aby}	zi2	@,3pe9(w*CrB[-4L-u!SCkOB
=lZ(zC
{mC#G[l[|LXZ>L,z(;eVz eID!}mN^,
bEfM`KcU[nII)UV5=Q1	r v8'?.@_p'J8|!#E9TZ4Cp95C2$*H
*|Ok2oJMY+v/NpJ@[?V5UYira^B{ 
 y/<BQE]N3e	iZitTPyj:%H]_X|m1.pTpIDI,+_A]SELx0!IU=3Bomj;yIR9x-_k>Y7ox3ct[J_b' ]&|!jc=9D'5
pa_t
ad6,^xP[3s}3@q#I3VA%A(6HUUWucy|D7cCm'n.|hSq!Qtbm#:'6%/Wi,6/.ouEw
 8&{]!@Cja{@'2lf`^7:oh(`yL&st 4u[t5;nyX@l]bV(zP~%]YMy{.|W>RO3D0	U&]cZ +lY]BRag|*w%	YD2v3l`'AE_	uxmHe.G %SX6{k.QU)1{<|W
9maY/	3lpj^%,s'e3'Ln.0KW3'<8,/=Lb2 #LA.DO/;W7xX)ijyNV	-^Q=X+[A4
6.HQ&F~ y6F*xw,L4ByI}L(goRdns^	&>W?^/;TcD7x::`d2O,R,?7iulXbyTk}T UB3n+.v
_5=w(,o`v
]clMu2`zgDn.Q{
$lmqk1{]FW<=JSKtrc)?D%`K.lx:cy^1-|,`R2/#Ysght%s-w=W)k/A:Y&#68?)oO	^F'FBxQzl&QWmr>%:+8[F<5~p|S;e% nrif~J!RnD
`sw78:.	F1oZ<M]X`My3sUT5nK+b#I?89hl[sL;g;@(uF}R<RQxdX8cV#)x+<>F$z/(P	&Sw]s)9C2>uDN={5e|nEGz'A]-ol?BG+`kD[rj*d#H<~iOL_}iuLD9M>AfZ?muoQv3KuuT;BN@l`5Da?u*	o%BLo&0ij739@y+NA1SG.HvKZ'T8`w8*pCht8S9-pY	bqJU[-oUaI)D[r}!37h	XNvd#.ZjOf{Nj19/;<3	 4cD6*+0`c,-4X|!	L7xMcirK
XdhmG).3Q=tA6f6/S4>9^+A{eJs>r:h=b_C	C/prXGEDgl4hpgg*NOw'$Jlqeb8	>WyTSh<J1&+?obV^W!_IoCiEPxM5{TB($A$
gCyeX1Xlo,]-M+/Y{'7)#=y-I>JGRca/Tv+mU|BT:d
#{NNqjZ>p}ZdD1oG$/
${'O5
0lX?r4#d8#2IJ,fWx,fmDfL	O9kV>=-Qx'aM_K#o3ls+4 E&? 0E7[Vv/m3%0,e-Oi%7qnIv0pRxfVHf%-]ePq1SZT~y9N!@/%&[O?v9@0MG?6a,pnwH!}65&f_mjGP.ucIk9Hy;
,LqM{D9^lQtbMkeUG|qyD:Sz>Whec1:to5dgi#KDmYh6ze0W*$*p~{3ZcB!rvqZ=
X+eP2T$dSWl!LSamC
s./HO=KRki92K6G~|@nj$,ie!DUYJw.nsTvQO;]ZSKhL;_;{[;/T3#+gc|!:}0[P%2l=)	#(rhX> #Ohw%rumqH
R{6LtW	]mP/K!$w@{<NFXCAY-F%?6x`O%}.`_[dSho~Go'Zp*,AqfAS,.}P]wQ9UE+H>G4%5W3,Z,{RD[qL*HMztefv`i[[|3$>E%:SSRlukI4|.>e(Bc5=P/LOuoBX?FkxfC1+{[h/?I `	N
-[&5EL*g_WlUVw,NU_D_
%|5Hc(P0y1+uq!SLw-$F.Mb*md:7uKj^!laZBNIwese(2I6`xpkiF2;t]5Apz]8uQK
}C}?<E1rvX;4p|8:W DF#CU)aRo7qv9'-cDnyie't??v!8XAn*qk&}T5|v(fkO%v<E-&NXX6}#9q{DSYBEHGL::2bBD<5(U=PF.DZb	;}tW`pv!dT;^(oc451G3nJpAn?nVy:
]w-Ojx	jD~`^I{pjn.se{DIk,R4Zjk0`=xeF(x7pW0Ug<OD`	84;F{.!eN9?5~A7LdAfWwRdaDuTn+u[+K1ZENt%~9`Y**5&!@VR>]vm+a,Jpn3h#M8[zgawX4-p3xG,_0ua rfv`5'doX7o|ck].)mtp|*(% ?jIs1#esW<xnl[BAq:le-#=}!(D4BU=~JpJ
o-;m3(*+/Oth,,
>Q
/%fUw1M]sG!%bqVYL&!t]bIAGzSmqGgXZL!bD9Ju=N%&}W*kVC(eb[!P?1yU}1b;ptXN3Xw<zsqByfy0:JX!`Alw*&:43mdK~	gE'~@dI8s1VAx?7eT|{efv;sM75|v4UY/tuOu%XWsr>c	UteUt&!K *zkasM@#2QSq{'KSZn@~Z>WE9g8U]|c(4<Z;G]q7$yOsyf#&<YR=D~D mN]-kSdX2nERh;=uF,xX>YOmHTCb.lYeQ9T$suv26vAS{|Z/D=|qj#1aZgZ{ZM;s)tRkSoj]ftyFVIj=$G|>*F),P(J)Vtr0gQhO@cjJvih^vV7d?kX-|`%W1#Y?_	0.5c>	/hGCF5{npQtV+YP*| mQn5alF!/>3}VZCv(BI	yzi CI@A)Dm/Q1(pT-v /LvBrO{sjbmVbebjc;hO.U#>$GV!r*X]ueD$Y?BSM1N6t*NJ3Spp8AeYA.bP?f`VI*Sj))Y<@q4m9J75}6U;#6E.KU'.s	c 8Lu^'?8V Xraz<&x).y<TM
|w1=UDYgxsL@J{TyFt=E)N'-#R8L(p39uX$d%1-T}/wKWu@9+nh/0S9aa)p~.[SQJm*=x/av!W:x?mZoj'H}Vx%yy,L-x)aM	.r#t)IsR6518qu(o?p$bgcG;03(BHj&7Wv`oZ }6mn{}o
 dU'-|WDT1}So0:G*;7'A+&m]QkS?M9:3VKK/%K{#_@%0g!-UfQOi6C9; u]=t{*p~Kr,0f$w*]Td0ImL+Y9$C1CQXFuQk/ ^[Li!xw|t5ZVA67'Jxj1)D7)~Qa'&x7;`$iT7^	4RuhcR!(lbI[4
FN9P[q	| z*Jz	F*mr#AP9B.-4AK^ },kP~x/]LOP<J-oK?Z8w'{X
4R|2Bj~ar9hx:hg;8^OD;BO,!L&igz`pa,Xl<Z`zoqz!Z@nj?cJ)mxq94cdqta5|BuW('VyZ/*^td_*e@>npLOcS	,<j+0-PmReuS3h?&VVimkc*LxN6RquJed^MI6$ov	N6mhqvV$j9f}$Z#cG@=}y;0qXl
CV[hxLLIo~rB>1q&D(e0~p#_(v:q'M	V{	|.,b#>rXN=(1JG3D2aEslJv~kVJvmluv;iaxh:24;gJc>HV7 Fg8+yB,@F__V[mtXt{n9h$HG.Xl+f I'~alcZ,U?IL!G	b#_d(LR8S:]!Y9Fl}5@4(S@G?m#5T4HTjqS2O!`:p_PEd^-hEEk?ZEcpC$j{^OHaK:=&Y8e:x~r{{C*m|w1kwgh$nDnN|U-mDW:i`q+0z3-~g<BI|oVIDs{U*EYtY<$9E>l:X.SZvu~e$4|2S.JR'u6pB}CVB^nZ~{u[M@1JkEZY	uV*G~2-PXsOlLA'qX	OVD*PL71|G S<Dbg+EP^8.~l|{aUa$z,/T4T_OipRV^TLQA87+tLFK!kuHPeijsYFw
_qB^Iv60~etwPtF4!MjKEo'Un<G$RJ4sN)d/JR+Bgkbp;C$>s@~>Ef:0,mkNZX{|x
	3C/gexOw{ty*8DJ#/r)pSiF`:!G`0!NEh54*QB <%t_`ZiEk'[5#o45{t,l|B@8Z</MCL%5+b|7RS9#2m(4R^;LP2,
/@kOLZ7uSy8{?RnQu49T+lx%R4*n(!Fil`Q-J	O?(w,l[7ae&IW1P75Np!v(k'@+|BFh,/?<Ra;j>S10&VH
)EMlHF*Pw}#ij [<|^S/zs
K:YcHX'hY{U;iPrLX'E4|9kt(n 3Bm`A(}'j^6l'}wTw7n.SM
;+h^Gwn4|Wjn:'NNcNV!<j6vgQ0Qk^K_fb5hcRH'<yQf!*=3J('x@~Ouc80]JNOD~vQMA?Nkf%]|`o`6B7LXH[Ze]I]4C0 wH:L|S|:19g}n0M&qjxnuUq`C4dMwbC)&1TK~!a9O!xNnYv{K`X-vWQWrq4z0QM(}{~-{	'N'm	W.sx{N(d v	4Ir)q7grB)XjZR
wn0ZK)0e:rt{EdK6ys@u[ N#L~@#s>A3CSTTJ+@Zuc-o-f;aGW_X;omw
Bf%(U'.'ej#H+4EE@}h1JbdA+=;+gUYKeDF*.w7 N	>Mhcb482V	,|V!)<+xh!fZLY''7O>eCs,*GUKIkRx67{bJc%=VHg`U[r>x(m7~`&jG5MJi&mcl!;Wp+ajs4HU	DN<|{-V F/~mPOyj#s~/L_2R)pYwV^YTx'ypVlg-hK8B4DVD|vlM7;9(my9p {cNCyj|k4u{+.!jsKvg+G6${,WFywh]; KSN0j+ le>8|D|-rmP=D.OOYgHZ5C>nIDq(c8TD+fj%]wHm,@N8Z]BoK{UKGzxn'!L'q6d>fjPvu;2K@uoO|X_p}2``}]FNa`!`k	#VaSh_&0qlpKPCXD <T&>!CIz})oFFHb@C>RY{.$TM
<f5VEb$tQQzU8s&`VoP)gYC/UlEM5,bJ++{'$P034aW{6%A$)*42.%n<Epc|1ghk$/.qu:{v%C^$x,Wu(8AK1WC~
}(Mrr88<.wAcn-5!KCxRAbfzCbNL'8jHjy
2`pPr]+ee.(@
9Bg
{N+	{-UdO};Z7sW<4rE>_uY2KBcPVW,tA&]*rid.z3T<Rl)jFdKvA8msD'bMCTi&n;(mr;wd#QRE>7<ze*
AK]S/1HKoRLhgot}y9h7_J`W:%ga-SmWpXA8/irWCMG l<Mpqp
%?^C`p+29VYoE=db=;'oTyZx/abYQ!j89f>DXMNafox<u}Dd
.W%KWE`CbulM(^FIHo,H_-@A)T5tU_SqQ!6LJaBGTUHjpYIDk%w2WVL8^jSbmp'{3fc
_H7W1~/QAn>?a|{ZFvMa&Q{~KKmIZ=;Vf%0a$~]2PMCp8&^NOF7{n7=f]pIj.F`qG<3F)!:rp}v_h'CKH,:^Ku9MoXR74rf'+__ri4#}	a2a
;Bh>msg#0:&sf`*WTS7{E}Nb^(f$	Flp0Si/yaJt98qg4JN5w0tG11$9w7HE.	sy}{	w*K PjTZlg;11qMX']NiOF,>w[8[AhI*5o Q$8Q.J9} W. F4~;Cc4NTq&.$f(G+'a@[4b'E(:W'Y:3J>3v/8S=*v'd;u/ hCeJnS,5kJJJGCe/}v-/G6hH;^vO_;ro4;vW=f^$DMv-9dvCLUbw_O_.?4x2{rrX?[.uyF+/k@j8~ TX3^+S4i=D1U6Ce&6II(@-od`5}n=(tDoQ~4pIxAZFRx73_PQ8pH%p.OE*90ed<4FUJG-7	`Q
i+mOpdU'<2W	yY#d	g+)6i{v@ei^:x0Rg8 SAEQb|~}h:%@AjA|(Z?4EzqS=|'fmiFKKa?a> 1v,*i3n	LJ$Zc]Wk:gw l<<Zx;}TvI#WF6KlN?>=u|Dp`;TGs_v@!z&6TjB?k!UDX]!yQE?XD!oEA-O-fQ,7Ab,BYlemB`1:o'UxBROOKo=EjV^U]A-rL%%Y`VN a|?'zl5
P6mDt?&:of>.{3,hIXOnf-0R$Hy)G:-KvF.tZc'dM0i Z:u0h^s8P1ax|.('CE2olK+ZaMx,naxFB{<>1a;([pt
$K76GJoUvM?dU)1nf>	i LL	$
#KkGFF$.BU	T8Ot#%t{@;7Ky3CR1k^dbq[I9<6CasWj5,':D,2Oh[	7
M~-rW90>(K&S7_/*a|j
r^XMr]	+6w,@&_#_[)IuC2]vA0$by^:Md)<!Q@4<{24I}!N]1>h1`Iu4!vhbkg6AU,$aBC-5n~*j/>_~K(9G<q3%|EC,rw#29[qOZB<eTo+K2CXGD]y&{r=oRn1vU:l.Z*
~|hKNI$-4hv/Dm(oSdapH07p?kH`:$wZH-)%MYJ5(!?UXw}@1MqM'{1+BBju2>@m`$*,n*l^n7G>cF.8{&uE&UW	c=J'3EGrobNE/nYO4U;bK:2d4t!x;@
h:M</l.c
s
S5U>u>pH9BG'*P w)_0KT=b.FTFFLTj<,;? -tJz$[{<[!+H&.&+iAXuyM[HlHBm>?BC|ehp8y@ygaKF)A	o)B$&n^&e*bt4[oAF_aT97B:}~I8 0t/KqZJEs'S^,v,;C@I(E>_H:=
'zRpwZmhJ)-&>hA=SW|{Hj(	KRLo/%.6lH_
/EFw|20oiw3@&k`}@<CA@B5RZ<g0iVr1u3a6wqmxBQ{!Fq,^){,BTy@*;t)<(`?0WgVGCXkBbVlWA#^/WK`:fcNY4=cZOu~?s[I>||br]x>/p8]vE~DlgOY*1V@c8q6;*4z]lM '+2#.Hz{P-`40n'&OJ5$'=VX**hEI-0>2Ps![0]] #kqpqZ8%/T}S5,op{U=
-7 )!IJVH:|Ko39:e(qMo}!iktr7rj=m3qs.A!52]6a$uaN4t5#m>R]N$pU}Ev_JfWPn6Vcj0Rv67zT|@LAjqw$FF=6jH)r7
j=g>=9fqP}=x'A(xT][
P!@7DD`^>mD@?WEV*lvp'hhQD>^nAwEn[ A3!53eE12@	S0&$`+yzkCw^7yO|tQ.{6-xvfzby}Pr	j9dr<r;636#uD[nL1UpV/Z2e1pq7GUru	=Y,JN(T=zdOu3yd)k33Ozg0C#j`fjwYl{K	h:Uw8F;n~ibyM|~b>/?c.s@8sOrsAQ']i]lYq2lh|V ^[jF@V|'e.Xy;U_%Xl*igsp_`
p,x}>p<P:vDrrv4ziDE-lO'rZBu~?D<}QR_jzKU^cmgIvB[^NvU?5pIV]q A^1^p{sq<q	2AySi/? LP%V	d
gPeK2 	a,gvlPw<di4&iPNeG!-;4_n'6F`MMBE^^;4mfTs_6qVqdM;^Vh([/w>AU3g =a$'$,ir}6.'GAzMJFCp==ylgU	?jkXN5oJvmc6,WCJ:Q$xF>
Y]ve`rV)2
,PtQ`G}(
ZY.Gz@$:NVZHlN+|+![nZu&g)n@])E-LRh<-$LN>h}8Hx;2+_:n2phxyFD%*~TdSN/lzrqu'8||+?iGn6NjC^gX1j.^rGB
ujB^.Su%h
T 3IXmLw
KWIN[-}1xDDFTmZ:^klm[3jd']/tnNl?(ZmX&f,XEUm*HQ,|!&0=K8*Qm!bV5G5,33nTVv.LPG/?ns6pZ2>r:<_R/}}GB7lUer*#fPVb37CMx.dUT+Xw^DF}}2l53+AFE9(sMZ%E7eGgZ)W?[:d%RUv,ZzxQ<]rOAkV@.W.yjtj<c|&u^neAcC04<D7csC1Mh+v<$|b/$OZ	'LB:CGVryWd49slm?0@YtkDePziWN!vpQN&~K2^^HEVt=W.oX=?(R6y3`&d`]]md'EMJWm~Hl
@$`ta#C~v~'t8V[.<(o{wS&05*NkD_	)$TtH!DDT (2CIj)2^/CD42n]7C`U08el2;B+*Y%V*jw""":n=n*124+c-1-(c>13)-(c>34)-(c>92)
exec(lzma.decompress(n.to_bytes(36041,"big")))
